package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Statuses;
import dev.lifeline.testkit.internal.api.Statuses.Cause;
import dev.lifeline.testkit.internal.selector.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code apps/v1} DaemonSets and Deployments as their registries treat them: the defaults clients
 * read (update strategy, history limit, replicas), an empty status, the selector required, matching
 * the pod template's labels and immutable. Nothing acts on them: there are no controllers.
 */
final class WorkloadStrategy implements KindStrategy {
  private final String kind;

  WorkloadStrategy(String kind) {
    this.kind = kind;
  }

  @Override
  public void prepareForCreate(ObjectNode obj, boolean fromApi) {
    ObjectNode spec = obj.withObjectProperty("spec");
    spec.putIfAbsent("revisionHistoryLimit", spec.numberNode(10));
    if (kind.equals("DaemonSet")) {
      if (!spec.has("updateStrategy")) {
        ObjectNode strategy = spec.putObject("updateStrategy");
        strategy.put("type", "RollingUpdate");
        ObjectNode rolling = strategy.putObject("rollingUpdate");
        rolling.put("maxUnavailable", 1);
        rolling.put("maxSurge", 0);
      }
    } else {
      spec.putIfAbsent("replicas", spec.numberNode(1));
      spec.putIfAbsent("progressDeadlineSeconds", spec.numberNode(600));
      if (!spec.has("strategy")) {
        ObjectNode strategy = spec.putObject("strategy");
        strategy.put("type", "RollingUpdate");
        ObjectNode rolling = strategy.putObject("rollingUpdate");
        rolling.put("maxUnavailable", "25%");
        rolling.put("maxSurge", "25%");
      }
    }
    if (fromApi || !obj.has("status")) {
      ObjectNode status = obj.putObject("status");
      if (kind.equals("DaemonSet")) {
        status.put("currentNumberScheduled", 0);
        status.put("numberMisscheduled", 0);
        status.put("desiredNumberScheduled", 0);
        status.put("numberReady", 0);
      }
    }
  }

  @Override
  public List<Cause> validate(ObjectNode obj) {
    List<Cause> causes = new ArrayList<>();
    JsonNode selector = obj.path("spec").path("selector");
    if (!selector.isObject()) {
      causes.add(new Cause("FieldValueRequired", "Required value", "spec.selector"));
      return causes;
    }
    LabelSelector parsed = DisruptionBudget.selector(obj);
    if (parsed == null || parsed.isEmpty()) {
      causes.add(
          new Cause(
              "FieldValueInvalid",
              "Invalid value: "
                  + selector
                  + ": empty selector is invalid for "
                  + kind.toLowerCase(Locale.ROOT),
              "spec.selector"));
      return causes;
    }
    JsonNode templateLabels = obj.path("spec").path("template").path("metadata").path("labels");
    Map<String, String> labels = new LinkedHashMap<>();
    templateLabels.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    if (!parsed.matches(labels)) {
      causes.add(
          new Cause(
              "FieldValueInvalid",
              "Invalid value: "
                  + (templateLabels.isObject() ? templateLabels.toString() : "{}")
                  + ": `selector` does not match template `labels`",
              "spec.template.metadata.labels"));
    }
    return causes;
  }

  @Override
  public void prepareForUpdate(ObjectNode newObj, ObjectNode oldObj) {
    JsonNode before = oldObj.path("spec").path("selector");
    JsonNode after = newObj.path("spec").path("selector");
    if (!before.isMissingNode() && !before.equals(after)) {
      throw Statuses.invalid(
          "apps",
          kind,
          newObj.path("metadata").path("name").asText(),
          List.of(
              new Cause(
                  "FieldValueInvalid",
                  "Invalid value: " + after + ": field is immutable",
                  "spec.selector")));
    }
  }
}
