package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Namespace defaulting: the {@code kubernetes} finalizer, phase Active, the name label. */
final class NamespaceStrategy implements KindStrategy {
  static final String NAME_LABEL = "kubernetes.io/metadata.name";

  @Override
  public void prepareForCreate(ObjectNode ns, boolean fromApi) {
    String name = ns.path("metadata").path("name").asText();
    ((ObjectNode) ns.get("metadata")).withObjectProperty("labels").put(NAME_LABEL, name);
    ns.withObjectProperty("spec").withArray("finalizers").removeAll().add("kubernetes");
    ns.putObject("status").put("phase", "Active");
  }

  @Override
  public void prepareForUpdate(ObjectNode newNs, ObjectNode oldNs) {
    String name = oldNs.path("metadata").path("name").asText();
    ((ObjectNode) newNs.get("metadata")).withObjectProperty("labels").put(NAME_LABEL, name);
  }
}
