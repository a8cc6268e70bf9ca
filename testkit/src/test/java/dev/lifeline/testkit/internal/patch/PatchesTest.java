package dev.lifeline.testkit.internal.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PatchesTest {
  private static final ObjectMapper M = new ObjectMapper();

  private static JsonNode j(String s) throws Exception {
    return M.readTree(s.replace('\'', '"'));
  }

  private static final String POD =
      "{'metadata':{'name':'p','labels':{'a':'1','b':'2'},'finalizers':['x']},"
          + "'spec':{'containers':[{'name':'app','image':'v1','ports':[{'containerPort':80},{'containerPort':81}]},"
          + "{'name':'side','image':'s1'}]}}";

  @Test
  void mergePatchSetsMergesAndRemoves() throws Exception {
    JsonNode out =
        MergePatch.apply(
            j(POD), j("{'metadata':{'labels':{'a':null,'c':'3'}},'spec':{'containers':[]}}"));
    assertThat(out.at("/metadata/labels")).isEqualTo(j("{'b':'2','c':'3'}"));
    assertThat(out.at("/spec/containers").size()).isZero();
  }

  @Test
  void jsonPatchAppliesEveryOperation() throws Exception {
    JsonNode out =
        JsonPatch.apply(
            j(POD),
            j(
                "[{'op':'test','path':'/metadata/name','value':'p'},"
                    + "{'op':'add','path':'/metadata/labels/c','value':'3'},"
                    + "{'op':'remove','path':'/metadata/labels/a'},"
                    + "{'op':'replace','path':'/spec/containers/0/image','value':'v2'},"
                    + "{'op':'copy','from':'/metadata/labels/b','path':'/metadata/labels/d'},"
                    + "{'op':'move','from':'/metadata/labels/d','path':'/metadata/labels/e'},"
                    + "{'op':'add','path':'/metadata/finalizers/-','value':'y'}]"));
    assertThat(out.at("/metadata/labels")).isEqualTo(j("{'b':'2','c':'3','e':'2'}"));
    assertThat(out.at("/spec/containers/0/image").asText()).isEqualTo("v2");
    assertThat(out.at("/metadata/finalizers")).isEqualTo(j("['x','y']"));
  }

  @Test
  void aFailedJsonPatchTestDoesNotApplyAndIsNotMalformed() throws Exception {
    assertThatThrownBy(
            () -> JsonPatch.apply(j(POD), j("[{'op':'test','path':'/metadata/name','value':'q'}]")))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.isMalformed()).isFalse());
    assertThatThrownBy(() -> JsonPatch.apply(j(POD), j("{'op':'add'}")))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.isMalformed()).isTrue());
    assertThatThrownBy(
            () -> JsonPatch.apply(j(POD), j("[{'op':'remove','path':'/metadata/nothing'}]")))
        .isInstanceOf(PatchException.class);
  }

  @Test
  void strategicMergeMergesContainersByNameAndPortsByContainerPort() throws Exception {
    JsonNode out =
        StrategicMergePatch.apply(
            "Pod",
            j(POD),
            j(
                "{'spec':{'containers':[{'name':'app','image':'v2','ports':[{'containerPort':81,'name':'alt'},"
                    + "{'containerPort':82}]},{'name':'new','image':'n1'}]}}"));
    assertThat(out.at("/spec/containers"))
        .isEqualTo(
            j(
                "[{'name':'app','image':'v2','ports':[{'containerPort':80},{'containerPort':81,'name':'alt'},"
                    + "{'containerPort':82}]},{'name':'side','image':'s1'},{'name':'new','image':'n1'}]"));
  }

  @Test
  void strategicMergeHonoursDeleteAndReplaceDirectives() throws Exception {
    JsonNode deleted =
        StrategicMergePatch.apply(
            "Pod", j(POD), j("{'spec':{'containers':[{'name':'side','$patch':'delete'}]}}"));
    assertThat(deleted.at("/spec/containers").size()).isEqualTo(1);

    JsonNode replaced =
        StrategicMergePatch.apply(
            "Pod", j(POD), j("{'metadata':{'labels':{'$patch':'replace','z':'9'}}}"));
    assertThat(replaced.at("/metadata/labels")).isEqualTo(j("{'z':'9'}"));

    JsonNode list =
        StrategicMergePatch.apply(
            "Pod",
            j(POD),
            j("{'spec':{'containers':[{'$patch':'replace'},{'name':'only','image':'o'}]}}"));
    assertThat(list.at("/spec/containers")).isEqualTo(j("[{'name':'only','image':'o'}]"));
  }

  @Test
  void strategicMergeUnionsFinalizersAndDeletesFromPrimitiveLists() throws Exception {
    JsonNode added =
        StrategicMergePatch.apply("Pod", j(POD), j("{'metadata':{'finalizers':['x','y']}}"));
    assertThat(added.at("/metadata/finalizers")).isEqualTo(j("['x','y']"));
    JsonNode removed =
        StrategicMergePatch.apply(
            "Pod", j(POD), j("{'metadata':{'$deleteFromPrimitiveList/finalizers':['x']}}"));
    assertThat(removed.at("/metadata/finalizers")).isEqualTo(j("[]"));
  }

  @Test
  void strategicMergeReplacesListsWithoutAKnownMergeKey() throws Exception {
    JsonNode out =
        StrategicMergePatch.apply(
            "ConfigMap",
            j("{'data':{'a':'1'},'list':[1,2]}"),
            j("{'list':[3],'$setElementOrder/list':[3]}"));
    assertThat(out).isEqualTo(j("{'data':{'a':'1'},'list':[3]}"));
  }
}
