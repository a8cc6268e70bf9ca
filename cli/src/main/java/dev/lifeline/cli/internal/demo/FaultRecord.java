package dev.lifeline.cli.internal.demo;

/**
 * A fault the demo injected.
 *
 * @param label what and where, for the summary: {@code blackhole of apiserver 0}
 * @param nanos when, on the demo's clock
 * @param sinceStartNanos when, counted from the demo's start (as the timeline prints it)
 * @param realDrops for a blackhole, whether packets were dropped by iptables
 */
public record FaultRecord(String label, long nanos, long sinceStartNanos, boolean realDrops) {}
