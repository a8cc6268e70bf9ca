package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Statuses.Cause;
import java.util.List;

/**
 * Pod defaulting as the registry and the defaulting functions apply the fields most clients read.
 */
final class PodStrategy implements KindStrategy {
  @Override
  public void prepareForCreate(ObjectNode pod, boolean fromApi) {
    ObjectNode spec = pod.withObjectProperty("spec");
    spec.putIfAbsent("restartPolicy", spec.textNode("Always"));
    spec.putIfAbsent("terminationGracePeriodSeconds", spec.numberNode(30));
    spec.putIfAbsent("dnsPolicy", spec.textNode("ClusterFirst"));
    spec.putIfAbsent("schedulerName", spec.textNode("default-scheduler"));
    spec.putIfAbsent("enableServiceLinks", spec.booleanNode(true));
    spec.putIfAbsent("securityContext", spec.objectNode());
    for (JsonNode c : spec.path("containers")) {
      if (c instanceof ObjectNode container) {
        container.putIfAbsent("terminationMessagePath", spec.textNode("/dev/termination-log"));
        container.putIfAbsent("terminationMessagePolicy", spec.textNode("File"));
        container.putIfAbsent("imagePullPolicy", spec.textNode(pullPolicy(container)));
        container.putIfAbsent("resources", spec.objectNode());
        for (JsonNode p : container.path("ports")) {
          if (p instanceof ObjectNode port) {
            port.putIfAbsent("protocol", spec.textNode("TCP"));
          }
        }
      }
    }
    if (fromApi || !pod.has("status")) {
      ObjectNode status = pod.putObject("status");
      status.put("phase", "Pending");
      status.put("qosClass", "BestEffort");
    }
  }

  private static String pullPolicy(ObjectNode container) {
    String image = container.path("image").asText("");
    String lastPart = image.substring(image.lastIndexOf('/') + 1);
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    if (!lastPart.contains(":") || image.endsWith(":latest")) {
      return "Always";
    }
    return "IfNotPresent";
  }

  @Override
  public List<Cause> validate(ObjectNode pod) {
    JsonNode containers = pod.path("spec").path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      return List.of(new Cause("FieldValueRequired", "Required value", "spec.containers"));
    }
    return List.of();
  }
}
