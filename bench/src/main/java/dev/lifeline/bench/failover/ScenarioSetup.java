package dev.lifeline.bench.failover;

import dev.lifeline.failover.FailoverEngine;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a {@link ScenarioClient} is created from.
 *
 * @param kubeconfig the kubeconfig file (server URL, CA, admin token)
 * @param namespace the namespace of the ConfigMaps
 * @param objectName the ConfigMap read by each GET
 * @param userAgent the user agent, unique per trial, by which the benchmark finds the apiserver the
 *     client uses
 * @param engine the failover engine to wire in, or empty for the client on its own
 */
record ScenarioSetup(
    Path kubeconfig,
    String namespace,
    String objectName,
    String userAgent,
    Optional<FailoverEngine> engine) {}
