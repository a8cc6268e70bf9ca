package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Statuses;
import dev.lifeline.testkit.internal.api.Statuses.Cause;
import java.util.ArrayList;
import java.util.List;

/** Service defaulting and ClusterIP allocation from the service CIDR. */
final class ServiceStrategy implements KindStrategy {
  private final ClusterIpAllocator allocator;

  ServiceStrategy(ClusterIpAllocator allocator) {
    this.allocator = allocator;
  }

  @Override
  public void prepareForCreate(ObjectNode svc, boolean fromApi) {
    ObjectNode spec = svc.withObjectProperty("spec");
    spec.putIfAbsent("type", spec.textNode("ClusterIP"));
    spec.putIfAbsent("sessionAffinity", spec.textNode("None"));
    for (JsonNode p : spec.path("ports")) {
      if (p instanceof ObjectNode port) {
        port.putIfAbsent("protocol", spec.textNode("TCP"));
        if (!port.has("targetPort") && port.has("port")) {
          port.set("targetPort", port.get("port"));
        }
      }
    }
    if (!isExternalName(spec)) {
      spec.putIfAbsent("internalTrafficPolicy", spec.textNode("Cluster"));
      spec.putIfAbsent("ipFamilyPolicy", spec.textNode("SingleStack"));
      spec.set("ipFamilies", spec.arrayNode().add("IPv4"));
    }
    if (fromApi || !svc.has("status")) {
      svc.putObject("status").putObject("loadBalancer");
    }
  }

  private static boolean isExternalName(JsonNode spec) {
    return "ExternalName".equals(spec.path("type").asText());
  }

  private static String requestedIp(JsonNode spec) {
    String ip = spec.path("clusterIP").asText("");
    if (ip.isEmpty() && spec.path("clusterIPs").isArray() && !spec.path("clusterIPs").isEmpty()) {
      ip = spec.path("clusterIPs").get(0).asText("");
    }
    return ip;
  }

  @Override
  public List<Cause> validate(ObjectNode svc) {
    List<Cause> causes = new ArrayList<>();
    JsonNode spec = svc.path("spec");
    boolean headless = "None".equals(requestedIp(spec));
    if (!isExternalName(spec) && !headless && spec.path("ports").isEmpty()) {
      causes.add(new Cause("FieldValueRequired", "Required value", "spec.ports"));
    }
    return causes;
  }

  @Override
  public void allocate(ObjectNode svc) {
    ObjectNode spec = svc.withObjectProperty("spec");
    if (isExternalName(spec)) {
      return;
    }
    String ip = requestedIp(spec);
    String name = svc.path("metadata").path("name").asText();
    if (ip.isEmpty()) {
      ip = allocator.allocateNext();
    } else if (!ip.equals("None")) {
      if (!allocator.contains(ip)) {
        throw invalidIp(
            name,
            ip,
            "the provided IP ("
                + ip
                + ") is not in the valid range. The"
                + " range of valid IPs is "
                + allocator.cidr());
      }
      if (!allocator.allocate(ip)) {
        throw invalidIp(name, ip, "provided IP is already allocated");
      }
    }
    spec.put("clusterIP", ip);
    ArrayNode ips = spec.putArray("clusterIPs");
    ips.add(ip);
  }

  private static RuntimeException invalidIp(String name, String ip, String why) {
    return Statuses.invalid(
        "",
        "Service",
        name,
        List.of(
            new Cause(
                "FieldValueInvalid",
                "Invalid value: []string{\"" + ip + "\"}: failed to allocate IP " + ip + ": " + why,
                "spec.clusterIPs")));
  }

  @Override
  public void prepareForUpdate(ObjectNode newSvc, ObjectNode oldSvc) {
    ObjectNode spec = newSvc.withObjectProperty("spec");
    JsonNode oldSpec = oldSvc.path("spec");
    String oldIp = oldSpec.path("clusterIP").asText("");
    String newIp = requestedIp(spec);
    if (newIp.isEmpty()) {
      if (!oldIp.isEmpty()) {
        spec.put("clusterIP", oldIp);
        spec.set("clusterIPs", oldSpec.path("clusterIPs").deepCopy());
      }
    } else if (!newIp.equals(oldIp)) {
      throw Statuses.invalid(
          "",
          "Service",
          newSvc.path("metadata").path("name").asText(),
          List.of(
              new Cause(
                  "FieldValueInvalid",
                  "Invalid value: []string{\"" + newIp + "\"}: may not change once set",
                  "spec.clusterIPs[0]")));
    }
    for (String f : List.of("ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy")) {
      if (!spec.has(f) && oldSpec.has(f)) {
        spec.set(f, oldSpec.get(f).deepCopy());
      }
    }
  }

  @Override
  public void release(ObjectNode deleted) {
    String ip = deleted.path("spec").path("clusterIP").asText("");
    if (!ip.isEmpty() && !ip.equals("None")) {
      allocator.release(ip);
    }
  }
}
