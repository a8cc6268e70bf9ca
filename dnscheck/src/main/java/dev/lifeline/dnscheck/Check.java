package dev.lifeline.dnscheck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A user-defined DNS check: a query and what its answer must look like, as blackbox_exporter's DNS
 * module allows.
 *
 * <p>The query name may contain {@code {domain}}, replaced by the cluster domain (for example
 * {@code kube-dns.kube-system.svc.{domain}}), and {@code {random}}, replaced by a fresh random
 * label for every probe (so that no cache answers: {@code nx-{random}.{domain}} for an NXDOMAIN
 * check); it is always taken as absolute. An answer passes when its response code is allowed
 * (default {@code NOERROR}), when the set of answer records of the queried type equals {@link
 * #expectedAnswers()} (if set), and when at least one answer record matches {@link
 * #answerPattern()} (if set; matched against the record's zone-file text, for example {@code
 * www.example.com. 30 IN A 192.0.2.1}). A truncated UDP answer fails unless {@link
 * Builder#allowTruncation(boolean)} says truncation is expected.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Check {
  private static final Pattern CHECK_NAME = Pattern.compile("[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?");

  private final String name;
  private final String queryName;
  private final int type;
  private final Set<Transport> transports;
  private final Set<String> expectedAnswers;
  private final Pattern answerPattern;
  private final Set<Integer> allowedRcodes;
  private final boolean allowTruncation;
  private final Duration timeout;

  private Check(Builder b) {
    this.name = b.name;
    this.queryName = b.queryName;
    this.type = b.type;
    this.transports = b.transports == null ? null : Set.copyOf(b.transports);
    this.expectedAnswers = b.expectedAnswers == null ? null : Set.copyOf(b.expectedAnswers);
    this.answerPattern = b.answerPattern;
    this.allowedRcodes =
        b.allowedRcodes == null ? Set.of(Rcode.NOERROR) : Set.copyOf(b.allowedRcodes);
    this.allowTruncation = b.allowTruncation;
    this.timeout = b.timeout;
  }

  /**
   * Starts a check.
   *
   * @param name the check's identifier in metrics, logs and reports: lower-case letters, digits,
   *     {@code -} and {@code _}
   * @param queryName the name to query; {@code {domain}} is replaced by the cluster domain
   * @throws IllegalArgumentException naming the value if either is malformed
   */
  public static Builder builder(String name, String queryName) {
    return new Builder(name, queryName);
  }

  /** The check's identifier. */
  public String name() {
    return name;
  }

  /** The query name as given, possibly with {@code {domain}}. */
  public String queryName() {
    return queryName;
  }

  /**
   * The query name for a cluster domain, absolute.
   *
   * @param randomLabel replaces {@code {random}}
   */
  public Name queryName(String clusterDomain, String randomLabel) {
    String text = queryName.replace("{domain}", clusterDomain).replace("{random}", randomLabel);
    try {
      return Name.fromString(text.endsWith(".") ? text : text + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException(
          "check '" + name + "': query name '" + text + "' is not a DNS name: " + e.getMessage(),
          e);
    }
  }

  /** Whether the query name has {@code {random}}: every probe asks a new name. */
  public boolean hasRandomLabel() {
    return queryName.contains("{random}");
  }

  /** The query type as a dnsjava {@link Type} code. */
  public int type() {
    return type;
  }

  /** The transports this check runs over, or empty to use the checker's transports. */
  public Optional<Set<Transport>> transports() {
    return Optional.ofNullable(transports);
  }

  /** The exact set of answer data (of the queried type) required, if any. */
  public Optional<Set<String>> expectedAnswers() {
    return Optional.ofNullable(expectedAnswers);
  }

  /** A pattern that at least one answer record must match, if any. */
  public Optional<Pattern> answerPattern() {
    return Optional.ofNullable(answerPattern);
  }

  /** The response codes that pass (dnsjava {@link Rcode} values); default {@code NOERROR}. */
  public Set<Integer> allowedRcodes() {
    return allowedRcodes;
  }

  /** Whether a truncated UDP answer passes (without its answers being checked). */
  public boolean allowTruncation() {
    return allowTruncation;
  }

  /** The per-attempt timeout for this check, or empty to use the checker's. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** A one-line description, as used in reports: {@code name: qname TYPE}. */
  @Override
  public String toString() {
    return name + ": " + queryName + " " + Type.string(type);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Check c
        && name.equals(c.name)
        && queryName.equals(c.queryName)
        && type == c.type
        && Objects.equals(transports, c.transports)
        && Objects.equals(expectedAnswers, c.expectedAnswers)
        && Objects.equals(
            answerPattern == null ? null : answerPattern.pattern(),
            c.answerPattern == null ? null : c.answerPattern.pattern())
        && allowedRcodes.equals(c.allowedRcodes)
        && allowTruncation == c.allowTruncation
        && Objects.equals(timeout, c.timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, queryName, type);
  }

  /** Builds a {@link Check}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String queryName;
    private int type = Type.A;
    private Set<Transport> transports;
    private Set<String> expectedAnswers;
    private Pattern answerPattern;
    private Set<Integer> allowedRcodes;
    private boolean allowTruncation;
    private Duration timeout;

    private Builder(String name, String queryName) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(queryName, "queryName");
      if (!CHECK_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "check name was '"
                + name
                + "'; use lower-case letters, digits, '-' and '_' (at most 63 characters)");
      }
      this.name = name;
      this.queryName = queryName.strip();
      // Validate the name with a sample domain now rather than at the first probe.
      try {
        String sample =
            this.queryName.replace("{domain}", "cluster.local").replace("{random}", "x".repeat(12));
        Name.fromString(sample.endsWith(".") ? sample : sample + ".");
      } catch (TextParseException e) {
        throw new IllegalArgumentException(
            "check '" + name + "': query name was '" + queryName + "': " + e.getMessage(), e);
      }
      if (this.queryName.isEmpty()) {
        throw new IllegalArgumentException("check '" + name + "': query name is empty");
      }
    }

    /**
     * The query type by mnemonic ({@code A}, {@code AAAA}, {@code SRV}, {@code TXT}, ...); default
     * {@code A}.
     */
    public Builder type(String mnemonic) {
      int value = Type.value(mnemonic.strip().toUpperCase(Locale.ROOT));
      if (value < 0) {
        throw new IllegalArgumentException(
            "check '" + name + "': type was '" + mnemonic + "'; use a DNS type such as A or SRV");
      }
      this.type = value;
      return this;
    }

    /** The transports to run over; default: the checker's transports. */
    public Builder transports(Collection<Transport> transports) {
      if (transports.isEmpty()) {
        throw new IllegalArgumentException("check '" + name + "': transports is empty");
      }
      this.transports = EnumSet.copyOf(transports);
      return this;
    }

    /**
     * The exact set of answer data required, in zone-file form without owner, TTL, class and type:
     * {@code 10.96.0.1} for A, {@code 0 100 53 kube-dns.kube-system.svc.cluster.local.} for SRV.
     */
    public Builder expectAnswers(Collection<String> answers) {
      List<String> cleaned = new ArrayList<>();
      for (String a : answers) {
        String s = a.strip();
        if (s.isEmpty()) {
          throw new IllegalArgumentException("check '" + name + "': an expected answer is empty");
        }
        cleaned.add(s);
      }
      this.expectedAnswers = new LinkedHashSet<>(cleaned);
      return this;
    }

    /** A regular expression that at least one answer record (zone-file text) must match. */
    public Builder answerPattern(String regex) {
      try {
        this.answerPattern = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "check '"
                + name
                + "': answer pattern '"
                + regex
                + "' is invalid: "
                + e.getDescription(),
            e);
      }
      return this;
    }

    /** The response codes that pass, by mnemonic ({@code NOERROR}, {@code NXDOMAIN}, ...). */
    public Builder allowRcodes(Collection<String> mnemonics) {
      if (mnemonics.isEmpty()) {
        throw new IllegalArgumentException("check '" + name + "': allowed rcodes is empty");
      }
      Set<Integer> codes = new LinkedHashSet<>();
      for (String m : mnemonics) {
        int code = Rcode.value(m.strip().toUpperCase(Locale.ROOT));
        if (code < 0) {
          throw new IllegalArgumentException(
              "check '" + name + "': rcode was '" + m + "'; use NOERROR, NXDOMAIN, SERVFAIL, ...");
        }
        codes.add(code);
      }
      this.allowedRcodes = codes;
      return this;
    }

    /** Whether a truncated UDP answer passes; default false (truncation is reported). */
    public Builder allowTruncation(boolean allow) {
      this.allowTruncation = allow;
      return this;
    }

    /** The per-attempt timeout for this check (for names that are forwarded upstream). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative()
          || timeout.isZero()
          || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
        throw new IllegalArgumentException(
            "check '" + name + "': timeout was " + timeout + "; use more than 0 and at most 30s");
      }
      this.timeout = timeout;
      return this;
    }

    public Check build() {
      if (expectedAnswers != null
          && !expectedAnswers.isEmpty()
          && allowedRcodes != null
          && !allowedRcodes.contains(Rcode.NOERROR)) {
        throw new IllegalStateException(
            "check '"
                + name
                + "': expected answers were set but the allowed rcodes exclude NOERROR, so no"
                + " answer could pass");
      }
      return new Check(this);
    }
  }
}
