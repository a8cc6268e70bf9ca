package dev.lifeline.dnscheck.internal.verdict;

import dev.lifeline.dnscheck.Transport;

/**
 * One probe stream of a target: a check over a transport.
 *
 * @param check the check's name
 * @param transport UDP or TCP
 */
public record StreamKey(String check, Transport transport) implements Comparable<StreamKey> {
  @Override
  public int compareTo(StreamKey o) {
    int c = check.compareTo(o.check);
    return c != 0 ? c : transport.compareTo(o.transport);
  }

  @Override
  public String toString() {
    return check + "/" + transport.label();
  }
}
