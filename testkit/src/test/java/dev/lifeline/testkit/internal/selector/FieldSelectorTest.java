package dev.lifeline.testkit.internal.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.testkit.internal.api.ResourceRegistry;
import dev.lifeline.testkit.internal.api.ResourceType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldSelectorTest {
  private static final ResourceRegistry REGISTRY = ResourceRegistry.standard();
  private static final ResourceType PODS = REGISTRY.byPath("v1", "pods").orElseThrow();
  private static final ResourceType CONFIGMAPS = REGISTRY.byPath("v1", "configmaps").orElseThrow();
  private static final Map<String, String> POD =
      Map.of(
          "metadata.name", "web-1",
          "metadata.namespace", "default",
          "spec.nodeName", "node-a",
          "status.phase", "Running");

  @Test
  void equalityAndInequalityTermsAreAnded() throws SelectorException {
    assertThat(FieldSelector.parse("spec.nodeName=node-a,status.phase!=Pending", PODS).matches(POD))
        .isTrue();
    assertThat(FieldSelector.parse("spec.nodeName==node-b", PODS).matches(POD)).isFalse();
    assertThat(
            FieldSelector.parse("metadata.name=web-1", CONFIGMAPS).requiredValue("metadata.name"))
        .contains("web-1");
  }

  @Test
  void aMissingFieldIsTheEmptyString() throws SelectorException {
    assertThat(FieldSelector.parse("spec.nodeName=", PODS).matches(Map.of("spec.nodeName", "")))
        .isTrue();
  }

  @Test
  void escapedCommasAndEqualsArePartOfTheValue() throws SelectorException {
    FieldSelector s = FieldSelector.parse("metadata.name=a\\,b\\=c", CONFIGMAPS);
    assertThat(s.terms()).singleElement().satisfies(t -> assertThat(t.value()).isEqualTo("a,b=c"));
  }

  @Test
  void podsRejectUnknownFieldsWithTheirOwnMessage() {
    assertThatThrownBy(() -> FieldSelector.parse("spec.foo=x", PODS))
        .hasMessage("field label not supported: spec.foo");
  }

  @Test
  void otherKindsOnlySelectByNameAndNamespace() {
    assertThatThrownBy(() -> FieldSelector.parse("data.key=x", CONFIGMAPS))
        .hasMessage(
            "\"data.key\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
  }

  @Test
  void aTermWithoutOperatorIsNotUnderstood() {
    assertThatThrownBy(() -> FieldSelector.parse("metadata.name", CONFIGMAPS))
        .hasMessage("invalid selector: 'metadata.name'; can't understand 'metadata.name'");
  }
}
