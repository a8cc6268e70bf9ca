package dev.lifeline.testkit.internal.control;

import dev.lifeline.testkit.internal.auth.ServiceAccountTokens;
import dev.lifeline.testkit.internal.auth.UserRegistry;
import dev.lifeline.testkit.internal.faults.IptablesChain;
import dev.lifeline.testkit.internal.store.Eviction;
import dev.lifeline.testkit.internal.store.ObjectStore;
import dev.lifeline.testkit.internal.store.PodLogStore;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** What all instances of one control plane share. */
record SharedParts(
    ControlPlaneSettings settings,
    ObjectStore store,
    UserRegistry users,
    Eviction eviction,
    PodLogStore podLogs,
    ServiceAccountTokens tokens,
    String threadPrefix,
    SslContext tls,
    ScheduledExecutorService scheduler,
    Supplier<EndpointReconciler> reconcilerSupplier,
    Supplier<IptablesChain> iptablesSupplier) {

  EndpointReconciler reconciler() {
    return reconcilerSupplier.get();
  }

  IptablesChain iptables() {
    return iptablesSupplier.get();
  }
}
