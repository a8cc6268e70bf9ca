package dev.lifeline.testkit.internal.selector;

import dev.lifeline.testkit.internal.api.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed field selector with the grammar of {@code k8s.io/apimachinery/pkg/fields}: terms {@code
 * f=v}, {@code f==v} or {@code f!=v} joined by commas, with {@code \,} {@code \=} and {@code \\}
 * escapes.
 *
 * <p>Immutable and thread-safe.
 */
public final class FieldSelector {
  /** The selector that matches everything. */
  public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  /** One term. */
  public record Term(String field, boolean equal, String value) {}

  private final List<Term> terms;

  private FieldSelector(List<Term> terms) {
    this.terms = List.copyOf(terms);
  }

  /** The terms in the order given. */
  public List<Term> terms() {
    return terms;
  }

  /** Whether the selector selects everything. */
  public boolean isEmpty() {
    return terms.isEmpty();
  }

  /** Whether every term holds for the object's selectable field values. */
  public boolean matches(Map<String, String> fields) {
    for (Term t : terms) {
      String have = fields.getOrDefault(t.field(), "");
      if (t.equal() != have.equals(t.value())) {
        return false;
      }
    }
    return true;
  }

  /** The value an equality term requires for {@code field}, if there is one. */
  public Optional<String> requiredValue(String field) {
    return terms.stream()
        .filter(t -> t.equal() && t.field().equals(field))
        .map(Term::value)
        .findFirst();
  }

  /**
   * Parses the {@code fieldSelector} parameter and checks that every field is selectable for the
   * kind.
   *
   * @throws SelectorException with the apiserver's message
   */
  public static FieldSelector parse(String selector, ResourceType type) throws SelectorException {
    if (selector == null || selector.isEmpty()) {
      return EVERYTHING;
    }
    List<Term> terms = new ArrayList<>();
    for (String part : splitTerms(selector)) {
      if (part.isEmpty()) {
        continue;
      }
      terms.add(term(part, selector));
    }
    for (Term t : terms) {
      if (!type.isFieldLabel(t.field())) {
        if (type.fieldLabelsPerKind()) {
          throw new SelectorException("field label not supported: " + t.field());
        }
        throw new SelectorException(
            "\""
                + t.field()
                + "\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
      }
    }
    return new FieldSelector(terms);
  }

  private static List<String> splitTerms(String s) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        cur.append(c).append(s.charAt(++i));
      } else if (c == ',') {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    return parts;
  }

  private static Term term(String part, String whole) throws SelectorException {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '\\') {
        i++;
        continue;
      }
      if (c == '!' && i + 1 < part.length() && part.charAt(i + 1) == '=') {
        return new Term(
            unescape(part.substring(0, i), whole), false, unescape(part.substring(i + 2), whole));
      }
      if (c == '=') {
        int valueStart = (i + 1 < part.length() && part.charAt(i + 1) == '=') ? i + 2 : i + 1;
        return new Term(
            unescape(part.substring(0, i), whole),
            true,
            unescape(part.substring(valueStart), whole));
      }
    }
    throw new SelectorException(
        "invalid selector: '" + whole + "'; can't understand '" + part + "'");
  }

  private static String unescape(String s, String whole) throws SelectorException {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 >= s.length()) {
          throw new SelectorException(
              "invalid field selector: unterminated escape sequence in '" + whole + "'");
        }
        char n = s.charAt(++i);
        if (n != '\\' && n != ',' && n != '=') {
          throw new SelectorException("invalid field selector: invalid escape sequence: \\" + n);
        }
        out.append(n);
      } else if (c == '=' || c == ',') {
        throw new SelectorException(
            "invalid field selector: unescaped '" + c + "' in '" + whole + "'");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Term t : terms) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(t.field()).append(t.equal() ? "=" : "!=").append(t.value());
    }
    return sb.toString();
  }
}
