package dev.lifeline.dnscheck.internal.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.xbill.DNS.Address;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What a reply must look like: allowed response codes, the exact answer set, a pattern. Immutable.
 *
 * @param allowedRcodes response codes that pass
 * @param answers the exact set of answer data of the queried type, or null for any
 * @param pattern a pattern at least one answer record's text must match, or null
 * @param allowTruncation whether a truncated reply passes (its answers unchecked)
 */
public record Expectation(
    Set<Integer> allowedRcodes, Set<String> answers, Pattern pattern, boolean allowTruncation) {

  public Expectation {
    allowedRcodes = Set.copyOf(allowedRcodes);
    answers = answers == null ? null : Set.copyOf(answers);
  }

  /** A positive answer whose data of the queried type is exactly {@code answers}. */
  public static Expectation answers(Set<String> answers) {
    return new Expectation(Set.of(Rcode.NOERROR), answers, null, false);
  }

  /** NXDOMAIN with no answers. */
  public static Expectation nxdomain() {
    return new Expectation(Set.of(Rcode.NXDOMAIN), Set.of(), null, false);
  }

  /**
   * Judges a reply already known to belong to the query (ID and question matched).
   *
   * @return {@link Outcome#OK} with a null detail, or a failure outcome with a detail for people
   */
  public Judgement judge(Message reply, Name qname, int qtype) {
    if (reply.getHeader().getFlag(Flags.TC)) {
      if (allowTruncation) {
        return new Judgement(Outcome.OK, null, answersOf(reply, qtype));
      }
      return new Judgement(
          Outcome.TRUNCATED,
          "the reply was truncated (TC bit); its "
              + reply.getHeader().getCount(Section.ANSWER)
              + " answer records are incomplete",
          answersOf(reply, qtype));
    }
    int rcode = reply.getRcode();
    List<String> actual = answersOf(reply, qtype);
    if (!allowedRcodes.contains(rcode)) {
      return new Judgement(
          Outcome.WRONG_RCODE,
          "answered " + Rcode.string(rcode) + ", expected " + rcodeNames(allowedRcodes),
          actual);
    }
    if (answers != null) {
      Set<String> want = normalise(answers, qtype);
      Set<String> got = normalise(actual, qtype);
      if (!want.equals(got)) {
        return new Judgement(
            Outcome.WRONG_ANSWER,
            "answered "
                + (got.isEmpty() ? "no " + Type.string(qtype) + " records" : String.join(", ", got))
                + ", expected "
                + (want.isEmpty() ? "none" : String.join(", ", want)),
            actual);
      }
    }
    if (pattern != null) {
      boolean matched = false;
      for (Record r : reply.getSection(Section.ANSWER)) {
        if (pattern.matcher(r.toString()).find()) {
          matched = true;
          break;
        }
      }
      if (!matched) {
        return new Judgement(
            Outcome.WRONG_ANSWER,
            "no answer record matches /" + pattern.pattern() + "/ (got " + actual + ")",
            actual);
      }
    }
    return new Judgement(Outcome.OK, null, actual);
  }

  /** The data of the answer records of the queried type, in zone-file text form. */
  static List<String> answersOf(Message reply, int qtype) {
    List<String> out = new ArrayList<>();
    for (Record r : reply.getSection(Section.ANSWER)) {
      if (r.getType() == qtype) {
        out.add(r.rdataToString());
      }
    }
    return out;
  }

  private static Set<String> normalise(Iterable<String> values, int qtype) {
    Set<String> out = new TreeSet<>();
    for (String v : values) {
      out.add(normalise(v, qtype));
    }
    return out;
  }

  /** Addresses compare by value (AAAA has many spellings), everything else case-insensitively. */
  private static String normalise(String value, int qtype) {
    if (qtype == Type.A || qtype == Type.AAAA) {
      byte[] raw = Address.toByteArray(value, qtype == Type.A ? Address.IPv4 : Address.IPv6);
      if (raw != null) {
        try {
          return InetAddress.getByAddress(raw).getHostAddress();
        } catch (UnknownHostException e) {
          throw new AssertionError("a 4- or 16-byte address is always valid", e);
        }
      }
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private static String rcodeNames(Set<Integer> codes) {
    Set<String> names = new LinkedHashSet<>();
    for (int c : new TreeSet<>(codes)) {
      names.add(Rcode.string(c));
    }
    return String.join(" or ", names);
  }

  /**
   * A judgement of one reply.
   *
   * @param outcome OK or the failure
   * @param detail why it failed, for people; null when OK
   * @param answers the answer data of the queried type
   */
  public record Judgement(Outcome outcome, String detail, List<String> answers) {
    public Judgement {
      Objects.requireNonNull(outcome);
      answers = List.copyOf(answers);
    }
  }
}
