package dev.lifeline.bench.failover;

import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.DropMode;
import dev.lifeline.testkit.Fault;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** The faults the benchmark injects into the apiserver a client uses. */
enum Scenario {
  /**
   * Real packet drops (iptables, root): open connections stop moving bytes, connects hang; the
   * instance stops renewing its endpoint lease and leaves the EndpointSlice after the lease TTL.
   */
  BLACKHOLE("blackhole", "blackhole (real packet drops)"),
  /** Every connection reset, new connects refused; the instance stays in the EndpointSlice. */
  RESET("reset", "reset"),
  /**
   * A kube-apiserver's SIGTERM: leaves the EndpointSlice, fails {@code /readyz}, serves on for the
   * shutdown delay, then GOAWAY, watches ended, in-flight requests finished.
   */
  GRACEFUL_STOP("graceful", "graceful stop");

  private final String id;
  private final String label;

  Scenario(String id, String label) {
    this.id = id;
    this.label = label;
  }

  /** The name on the command line and in result files. */
  String id() {
    return id;
  }

  /** The name in reports. */
  String label() {
    return label;
  }

  /**
   * Injects the fault.
   *
   * @return completes when the fault has fully happened (at once, except a graceful stop, which
   *     completes when the instance has closed)
   */
  CompletableFuture<Void> inject(ApiServerInstance instance) {
    return switch (this) {
      case BLACKHOLE -> {
        instance.inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED));
        yield CompletableFuture.completedFuture(null);
      }
      case RESET -> {
        instance.inject(Fault.reset());
        yield CompletableFuture.completedFuture(null);
      }
      case GRACEFUL_STOP -> instance.stopGracefullyAsync();
    };
  }

  /**
   * The scenario with that {@link #id()}.
   *
   * @throws IllegalArgumentException naming the known ones
   */
  static Scenario byId(String id) {
    for (Scenario s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown scenario '"
            + id
            + "'; known: "
            + Arrays.stream(values()).map(Scenario::id).collect(Collectors.joining(", ")));
  }
}
