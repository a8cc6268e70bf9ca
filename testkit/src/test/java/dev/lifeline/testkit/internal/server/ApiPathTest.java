package dev.lifeline.testkit.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.testkit.internal.api.ResourceRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiPathTest {
  private static final ResourceRegistry REGISTRY = ResourceRegistry.standard();

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "v1 | namespaces/default/pods | pods ns=default name= sub= watch=false",
        "v1 | namespaces/default/pods/web | pods ns=default name=web sub= watch=false",
        "v1 | namespaces/default/pods/web/eviction | pods ns=default name=web sub=eviction watch=false",
        "v1 | pods | pods ns= name= sub= watch=false",
        "v1 | namespaces | namespaces ns= name= sub= watch=false",
        "v1 | namespaces/kube-system | namespaces ns= name=kube-system sub= watch=false",
        "v1 | namespaces/kube-system/status | namespaces ns= name=kube-system sub=status watch=false",
        "v1 | watch/namespaces/default/pods | pods ns=default name= sub= watch=true",
        "discovery.k8s.io/v1 | namespaces/default/endpointslices/kubernetes | endpointslices ns=default name=kubernetes sub= watch=false",
        "v1 | pods/web | none",
        "v1 | namespaces/default/foos | none",
        "v1 | namespaces/default/configmaps/c/status | none",
        "v1 | nodes/n1/eviction | none",
        "v1 | namespaces/default/pods/web/status/extra | none",
        "policy/v1 | namespaces/default/pods | none"
      })
  void resolvesTheApiserversRoutes(String apiVersion, String rest, String expected) {
    String got =
        ApiPath.resolve(REGISTRY, apiVersion, rest)
            .map(
                p ->
                    p.type().resource()
                        + " ns="
                        + p.namespace()
                        + " name="
                        + p.name()
                        + " sub="
                        + p.subresource()
                        + " watch="
                        + p.legacyWatch())
            .orElse("none");
    assertThat(got).isEqualTo(expected);
  }
}
