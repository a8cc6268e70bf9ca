package dev.lifeline.cli.internal.demo;

import dev.lifeline.testkit.ApiServerInstance;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Names apiservers the way the timeline speaks of them: {@code apiserver 1 (127.0.0.3)}. An address
 * that is no instance's (a seed, a stray endpoint) is named by its address alone. Immutable.
 */
final class ApiserverNames {
  private final List<ApiServerInstance> instances;

  ApiserverNames(List<ApiServerInstance> instances) {
    this.instances = List.copyOf(Objects.requireNonNull(instances, "instances"));
  }

  String of(InetAddress address) {
    return instance(address).map(ApiserverNames::of).orElse(address.getHostAddress());
  }

  /** The instance on {@code address}, if any. */
  Optional<ApiServerInstance> instance(InetAddress address) {
    for (ApiServerInstance i : instances) {
      if (i.address().equals(address)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  static String of(ApiServerInstance instance) {
    return "apiserver " + instance.index() + " (" + instance.address().getHostAddress() + ")";
  }

  /** The short form, {@code apiserver 1}, for lists. */
  String shortName(InetAddress address) {
    return instance(address).map(i -> "apiserver " + i.index()).orElse(address.getHostAddress());
  }
}
