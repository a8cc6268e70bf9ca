package dev.lifeline.testkit.dns;

/** Which real DNS server stands in for a CoreDNS pod. Both are Debian packages. */
public enum DnsServerKind {
  /** {@code dnsmasq} (package dnsmasq-base): data from a hosts file, reloaded on SIGHUP. */
  DNSMASQ("dnsmasq"),
  /** {@code unbound}: data as local-data, reloaded through {@code unbound-control}. */
  UNBOUND("unbound");

  private final String binary;

  DnsServerKind(String binary) {
    this.binary = binary;
  }

  /** The executable's name. */
  public String binary() {
    return binary;
  }
}
