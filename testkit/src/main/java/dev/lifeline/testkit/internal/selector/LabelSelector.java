package dev.lifeline.testkit.internal.selector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A parsed label selector with the grammar and matching rules of {@code
 * k8s.io/apimachinery/pkg/labels}: {@code key}, {@code !key}, {@code key=v}, {@code key==v}, {@code
 * key!=v}, {@code key in (a,b)}, {@code key notin (a,b)}, {@code key>1}, {@code key<1}, joined by
 * commas (AND).
 *
 * <p>Immutable and thread-safe.
 */
public final class LabelSelector {
  /** The selector that matches everything. */
  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  /** Selector operators. */
  public enum Operator {
    EXISTS,
    DOES_NOT_EXIST,
    EQUALS,
    DOUBLE_EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    GREATER_THAN,
    LESS_THAN
  }

  /** One term of the selector. */
  public record Requirement(String key, Operator operator, List<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case IN, EQUALS, DOUBLE_EQUALS -> v != null && values.contains(v);
        case NOT_IN, NOT_EQUALS -> v == null || !values.contains(v);
        case EXISTS -> labels.containsKey(key);
        case DOES_NOT_EXIST -> !labels.containsKey(key);
        case GREATER_THAN, LESS_THAN -> compare(v);
      };
    }

    private boolean compare(String v) {
      if (v == null) {
        return false;
      }
      long have;
      long want;
      try {
        have = Long.parseLong(v);
        want = Long.parseLong(values.get(0));
      } catch (NumberFormatException e) {
        return false;
      }
      return operator == Operator.GREATER_THAN ? have > want : have < want;
    }
  }

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  /** The requirements, sorted by key as the apiserver sorts them. */
  public List<Requirement> requirements() {
    return requirements;
  }

  /** Whether the selector selects everything. */
  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  /** Whether all requirements match the labels. */
  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** A selector requiring each key to equal its value (a {@code matchLabels} map). */
  public static LabelSelector ofEquals(Map<String, String> matchLabels) {
    List<Requirement> reqs = new ArrayList<>();
    matchLabels.forEach((k, v) -> reqs.add(new Requirement(k, Operator.EQUALS, List.of(v))));
    reqs.sort(Comparator.comparing(Requirement::key));
    return new LabelSelector(reqs);
  }

  /** A selector from explicit requirements (for {@code matchExpressions}). */
  public static LabelSelector of(List<Requirement> requirements) {
    List<Requirement> reqs = new ArrayList<>(requirements);
    reqs.sort(Comparator.comparing(Requirement::key));
    return new LabelSelector(reqs);
  }

  /**
   * Parses the {@code labelSelector} query parameter.
   *
   * @throws SelectorException with the apiserver's message when it does not parse
   */
  public static LabelSelector parse(String selector) throws SelectorException {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> reqs = new Parser(new Lexer(selector).scan()).parse();
    reqs.sort(Comparator.comparing(Requirement::key));
    return new LabelSelector(reqs);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Requirement r : requirements) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      if (r.operator() == Operator.DOES_NOT_EXIST) {
        sb.append('!');
      }
      sb.append(r.key());
      switch (r.operator()) {
        case EQUALS -> sb.append('=').append(r.values().get(0));
        case DOUBLE_EQUALS -> sb.append("==").append(r.values().get(0));
        case NOT_EQUALS -> sb.append("!=").append(r.values().get(0));
        case GREATER_THAN -> sb.append('>').append(r.values().get(0));
        case LESS_THAN -> sb.append('<').append(r.values().get(0));
        case IN -> sb.append(" in (").append(String.join(",", r.values())).append(')');
        case NOT_IN -> sb.append(" notin (").append(String.join(",", r.values())).append(')');
        default -> {}
      }
    }
    return sb.toString();
  }

  private enum Token {
    ERROR,
    END,
    CLOSED_PAR,
    COMMA,
    DOES_NOT_EXIST,
    DOUBLE_EQUALS,
    EQUALS,
    GREATER_THAN,
    IDENTIFIER,
    IN,
    LESS_THAN,
    NOT_EQUALS,
    NOT_IN,
    OPEN_PAR
  }

  private record Item(Token token, String literal) {}

  private static Token literalToken(String s) {
    return switch (s) {
      case ")" -> Token.CLOSED_PAR;
      case "," -> Token.COMMA;
      case "!" -> Token.DOES_NOT_EXIST;
      case "==" -> Token.DOUBLE_EQUALS;
      case "=" -> Token.EQUALS;
      case ">" -> Token.GREATER_THAN;
      case "in" -> Token.IN;
      case "<" -> Token.LESS_THAN;
      case "!=" -> Token.NOT_EQUALS;
      case "notin" -> Token.NOT_IN;
      case "(" -> Token.OPEN_PAR;
      default -> null;
    };
  }

  private static final class Lexer {
    private final String s;
    private int pos;

    Lexer(String s) {
      this.s = s;
    }

    List<Item> scan() {
      List<Item> items = new ArrayList<>();
      while (true) {
        Item item = lex();
        items.add(item);
        if (item.token() == Token.END) {
          return items;
        }
      }
    }

    private static boolean isWhitespace(char c) {
      return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isSpecial(char c) {
      return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
    }

    private Item lex() {
      while (pos < s.length() && isWhitespace(s.charAt(pos))) {
        pos++;
      }
      if (pos >= s.length()) {
        return new Item(Token.END, "");
      }
      return isSpecial(s.charAt(pos)) ? special() : identifierOrKeyword();
    }

    private Item identifierOrKeyword() {
      int start = pos;
      while (pos < s.length() && !isSpecial(s.charAt(pos)) && !isWhitespace(s.charAt(pos))) {
        pos++;
      }
      String lit = s.substring(start, pos);
      Token t = literalToken(lit);
      return new Item(t == null ? Token.IDENTIFIER : t, lit);
    }

    private Item special() {
      StringBuilder buf = new StringBuilder();
      Item last = null;
      while (pos < s.length() && isSpecial(s.charAt(pos))) {
        buf.append(s.charAt(pos));
        Token t = literalToken(buf.toString());
        if (t != null) {
          last = new Item(t, buf.toString());
          pos++;
        } else if (last != null) {
          break;
        } else {
          pos++;
        }
      }
      if (last == null) {
        return new Item(Token.ERROR, "error expected: keyword found '" + buf + "'");
      }
      return last;
    }
  }

  private static final class Parser {
    private final List<Item> items;
    private int position;

    Parser(List<Item> items) {
      this.items = items;
    }

    private Item lookahead(boolean values) {
      return adjust(items.get(position), values);
    }

    private Item consume(boolean values) {
      return adjust(items.get(position++), values);
    }

    private static Item adjust(Item item, boolean values) {
      if (values && (item.token() == Token.IN || item.token() == Token.NOT_IN)) {
        return new Item(Token.IDENTIFIER, item.literal());
      }
      return item;
    }

    List<Requirement> parse() throws SelectorException {
      List<Requirement> reqs = new ArrayList<>();
      while (true) {
        Item next = lookahead(true);
        switch (next.token()) {
          case IDENTIFIER, DOES_NOT_EXIST -> {
            try {
              reqs.add(requirement());
            } catch (SelectorException e) {
              throw new SelectorException("unable to parse requirement: " + e.getMessage());
            }
            Item after = consume(true);
            if (after.token() == Token.END) {
              return reqs;
            } else if (after.token() == Token.COMMA) {
              Item t2 = lookahead(true);
              if (t2.token() != Token.IDENTIFIER && t2.token() != Token.DOES_NOT_EXIST) {
                throw new SelectorException(
                    "found '" + t2.literal() + "', expected: identifier after ','");
              }
            } else {
              throw new SelectorException(
                  "found '" + after.literal() + "', expected: ',' or 'end of string'");
            }
          }
          case END -> {
            return reqs;
          }
          default ->
              throw new SelectorException(
                  "found '" + next.literal() + "', expected: !, identifier, or 'end of string'");
        }
      }
    }

    private Requirement requirement() throws SelectorException {
      Item first = consume(true);
      boolean negated = false;
      if (first.token() == Token.DOES_NOT_EXIST) {
        negated = true;
        first = consume(true);
      }
      if (first.token() != Token.IDENTIFIER) {
        throw new SelectorException("found '" + first.literal() + "', expected: identifier");
      }
      String key = first.literal();
      List<String> keyErrs = LabelValidation.keyErrors(key);
      if (!keyErrs.isEmpty()) {
        throw new SelectorException(invalid("", key, String.join("; ", keyErrs)));
      }
      Token t = lookahead(true).token();
      if (negated || t == Token.END || t == Token.COMMA) {
        return validated(key, negated ? Operator.DOES_NOT_EXIST : Operator.EXISTS, List.of());
      }
      Operator op = operator();
      List<String> values =
          (op == Operator.IN || op == Operator.NOT_IN) ? setValues() : exactValue();
      return validated(key, op, values);
    }

    private Operator operator() throws SelectorException {
      Item it = consume(false);
      return switch (it.token()) {
        case IN -> Operator.IN;
        case EQUALS -> Operator.EQUALS;
        case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
        case GREATER_THAN -> Operator.GREATER_THAN;
        case LESS_THAN -> Operator.LESS_THAN;
        case NOT_IN -> Operator.NOT_IN;
        case NOT_EQUALS -> Operator.NOT_EQUALS;
        default ->
            throw new SelectorException(
                "found '" + it.literal() + "', expected: in, notin, =, ==, !=, gt, lt");
      };
    }

    private List<String> setValues() throws SelectorException {
      Item open = consume(true);
      if (open.token() != Token.OPEN_PAR) {
        throw new SelectorException("found '" + open.literal() + "' expected: '('");
      }
      Item next = lookahead(true);
      switch (next.token()) {
        case IDENTIFIER, COMMA -> {
          TreeSet<String> s = identifiers();
          if (consume(true).token() != Token.CLOSED_PAR) {
            throw new SelectorException("found '" + next.literal() + "', expected: ')'");
          }
          return new ArrayList<>(s);
        }
        case CLOSED_PAR -> {
          consume(true);
          return List.of("");
        }
        default ->
            throw new SelectorException(
                "found '" + next.literal() + "', expected: ',', ')' or identifier");
      }
    }

    private TreeSet<String> identifiers() throws SelectorException {
      TreeSet<String> s = new TreeSet<>();
      while (true) {
        Item it = consume(true);
        switch (it.token()) {
          case IDENTIFIER -> {
            s.add(it.literal());
            Item t2 = lookahead(true);
            if (t2.token() == Token.CLOSED_PAR) {
              return s;
            } else if (t2.token() != Token.COMMA) {
              throw new SelectorException("found '" + t2.literal() + "', expected: ',' or ')'");
            }
          }
          case COMMA -> {
            if (s.isEmpty()) {
              s.add("");
            }
            Token t2 = lookahead(true).token();
            if (t2 == Token.CLOSED_PAR) {
              s.add("");
              return s;
            }
            if (t2 == Token.COMMA) {
              s.add("");
            }
          }
          default ->
              throw new SelectorException(
                  "found '" + it.literal() + "', expected: ',', or identifier");
        }
      }
    }

    private List<String> exactValue() throws SelectorException {
      Token t = lookahead(true).token();
      if (t == Token.END || t == Token.COMMA) {
        return List.of("");
      }
      Item it = consume(true);
      if (it.token() == Token.IDENTIFIER) {
        return List.of(it.literal());
      }
      throw new SelectorException("found '" + it.literal() + "', expected: identifier");
    }

    private static Requirement validated(String key, Operator op, List<String> values)
        throws SelectorException {
      List<String> errs = new ArrayList<>();
      if ((op == Operator.GREATER_THAN || op == Operator.LESS_THAN)) {
        for (int i = 0; i < values.size(); i++) {
          try {
            Long.parseLong(values.get(i));
          } catch (NumberFormatException e) {
            errs.add(
                invalid(
                    "values[" + i + "]",
                    values.get(i),
                    "for 'Gt', 'Lt' operators, the value must be an integer"));
          }
        }
      }
      for (int i = 0; i < values.size(); i++) {
        List<String> ve = LabelValidation.valueErrors(values.get(i));
        if (!ve.isEmpty()) {
          errs.add(invalid("values[" + i + "][" + key + "]", values.get(i), String.join("; ", ve)));
        }
      }
      if (!errs.isEmpty()) {
        throw new SelectorException(
            errs.size() == 1 ? errs.get(0) : "[" + String.join(", ", errs) + "]");
      }
      return new Requirement(key, op, List.copyOf(values));
    }

    private static String invalid(String path, String value, String detail) {
      String body = "Invalid value: \"" + value + "\": " + detail;
      return path.isEmpty() ? body : path + ": " + body;
    }
  }
}
