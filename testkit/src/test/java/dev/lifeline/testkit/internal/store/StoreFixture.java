package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.ResourceRegistry;
import dev.lifeline.testkit.internal.api.ResourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;

/** A store with the default namespace, and object builders, for unit tests. */
final class StoreFixture {
  final ObjectStore store;
  final ResourceType pods;
  final ResourceType pdbs;
  final ResourceType configMaps;
  final ResourceType namespaces;
  final ResourceType services;

  StoreFixture(int historySize) {
    store =
        new ObjectStore(
            ResourceRegistry.standard(),
            Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC),
            historySize,
            "10.96.0.0/12",
            new Random(1));
    pods = store.registry().byKind("v1", "Pod").orElseThrow();
    pdbs = store.registry().byKind("policy/v1", "PodDisruptionBudget").orElseThrow();
    configMaps = store.registry().byKind("v1", "ConfigMap").orElseThrow();
    namespaces = store.registry().byKind("v1", "Namespace").orElseThrow();
    services = store.registry().byKind("v1", "Service").orElseThrow();
    store.create(namespaces, "", json("{\"metadata\":{\"name\":\"default\"}}"), true);
  }

  static ObjectNode json(String s) {
    try {
      return (ObjectNode) Json.parse(s.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  StoredObject configMap(String name, String value) {
    return store.create(
        configMaps,
        "default",
        json("{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"" + value + "\"}}"),
        true);
  }

  StoredObject pod(String name, boolean ready, String... labels) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < labels.length; i += 2) {
      if (l.length() > 0) {
        l.append(',');
      }
      l.append('"').append(labels[i]).append("\":\"").append(labels[i + 1]).append('"');
    }
    String status =
        "{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\""
            + (ready ? "True" : "False")
            + "\"}]}";
    return store.create(
        pods,
        "default",
        json(
            "{\"metadata\":{\"name\":\""
                + name
                + "\",\"labels\":{"
                + l
                + "}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]},\"status\":"
                + status
                + "}"),
        false);
  }
}
