package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.api.Statuses.Cause;
import dev.lifeline.testkit.internal.selector.LabelValidation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The object-meta validation the apiserver applies to every kind, with its messages. */
final class ObjectValidation {
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final String LABEL_ERROR =
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and"
          + " must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc',"
          + " regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  private static final String DNS1035_ERROR =
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an"
          + " alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or"
          + " 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

  private ObjectValidation() {}

  static List<Cause> validateMeta(ResourceType type, ObjectNode obj) {
    List<Cause> causes = new ArrayList<>();
    JsonNode meta = obj.path("metadata");
    String name = meta.path("name").asText("");
    if (name.isEmpty()) {
      causes.add(
          new Cause(
              "FieldValueRequired",
              "Required value: name or generateName is required",
              "metadata.name"));
    } else {
      String err = nameError(type, name);
      if (err != null) {
        causes.add(
            new Cause(
                "FieldValueInvalid", "Invalid value: \"" + name + "\": " + err, "metadata.name"));
      }
    }
    JsonNode labels = meta.path("labels");
    Iterator<Map.Entry<String, JsonNode>> it = labels.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      List<String> keyErrs = LabelValidation.keyErrors(e.getKey());
      if (!keyErrs.isEmpty()) {
        causes.add(
            new Cause(
                "FieldValueInvalid",
                "Invalid value: \"" + e.getKey() + "\": " + String.join("; ", keyErrs),
                "metadata.labels"));
      }
      List<String> valueErrs = LabelValidation.valueErrors(e.getValue().asText());
      if (!valueErrs.isEmpty()) {
        causes.add(
            new Cause(
                "FieldValueInvalid",
                "Invalid value: \"" + e.getValue().asText() + "\": " + String.join("; ", valueErrs),
                "metadata.labels"));
      }
    }
    return causes;
  }

  private static String nameError(ResourceType type, String name) {
    switch (type.kind()) {
      case "Namespace" -> {
        if (name.length() > 63) {
          return "must be no more than 63 characters";
        }
        return LABEL.matcher(name).matches() ? null : LABEL_ERROR;
      }
      case "Service" -> {
        if (name.length() > 63) {
          return "must be no more than 63 characters";
        }
        return DNS1035.matcher(name).matches() ? null : DNS1035_ERROR;
      }
      default -> {
        if (name.length() > 253) {
          return "must be no more than 253 characters";
        }
        return SUBDOMAIN.matcher(name).matches() ? null : LabelValidation.SUBDOMAIN_ERROR;
      }
    }
  }
}
