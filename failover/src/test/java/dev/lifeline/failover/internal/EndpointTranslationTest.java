package dev.lifeline.failover.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.client.model.EndpointSlice;
import dev.lifeline.client.model.Endpoints;
import dev.lifeline.client.model.ObjectMeta;
import dev.lifeline.failover.DiscoveredEndpoint;
import dev.lifeline.failover.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointTranslationTest {

  @Test
  void sliceEndpointsCarryTheirConditionsAndTheHttpsPort() {
    EndpointSlice slice =
        EndpointSlice.builder()
            .addPort(new EndpointSlice.Port("https", "TCP", 6443, null))
            .addEndpoint(EndpointSlice.Endpoint.ready("10.0.0.1"))
            .addEndpoint(
                new EndpointSlice.Endpoint(
                    List.of("10.0.0.2"), false, true, true, null, null, null, null))
            .addEndpoint(
                new EndpointSlice.Endpoint(
                    List.of("10.0.0.3"), null, null, null, null, null, null, null))
            .build();

    assertThat(EndpointTranslation.fromSlices(List.of(slice)))
        .containsExactly(
            new DiscoveredEndpoint(Endpoint.parse("10.0.0.1:6443"), true, true, false),
            new DiscoveredEndpoint(Endpoint.parse("10.0.0.2:6443"), false, true, true),
            new DiscoveredEndpoint(Endpoint.parse("10.0.0.3:6443"), true, true, false));
  }

  @Test
  void slicesOfEveryFamilyAreMergedAndFqdnSlicesSkipped() {
    EndpointSlice v4 =
        EndpointSlice.builder()
            .addPort(new EndpointSlice.Port("https", "TCP", 6443, null))
            .addEndpoint(EndpointSlice.Endpoint.ready("10.0.0.1"))
            .build();
    EndpointSlice v6 =
        EndpointSlice.builder()
            .addressType("IPv6")
            .addPort(new EndpointSlice.Port("https", "TCP", 6443, null))
            .addEndpoint(EndpointSlice.Endpoint.ready("fd00::1"))
            .build();
    EndpointSlice fqdn =
        EndpointSlice.builder()
            .addressType("FQDN")
            .addPort(new EndpointSlice.Port("https", "TCP", 6443, null))
            .addEndpoint(EndpointSlice.Endpoint.ready("api.example.test"))
            .build();

    assertThat(EndpointTranslation.fromSlices(List.of(v4, v6, fqdn)))
        .extracting(DiscoveredEndpoint::endpoint)
        .containsExactly(Endpoint.parse("10.0.0.1:6443"), Endpoint.parse("[fd00::1]:6443"));
  }

  @Test
  void aSliceWithoutAUsablePortIsSkipped() {
    EndpointSlice slice =
        EndpointSlice.builder()
            .addPort(new EndpointSlice.Port("metrics", "TCP", 9090, null))
            .addPort(new EndpointSlice.Port("other", "TCP", 9091, null))
            .addEndpoint(EndpointSlice.Endpoint.ready("10.0.0.1"))
            .build();

    assertThat(EndpointTranslation.fromSlices(List.of(slice))).isEmpty();
  }

  @Test
  void endpointsAddressesAreReadyAndNotReadyAddressesAreNot() {
    Endpoints endpoints =
        Endpoints.of(
            ObjectMeta.of("default", "kubernetes"),
            List.of(
                new Endpoints.Subset(
                    List.of(Endpoints.Address.of("10.0.0.1")),
                    List.of(Endpoints.Address.of("10.0.0.2")),
                    List.of(new Endpoints.Port("https", 6443, "TCP", null)))));

    assertThat(EndpointTranslation.fromEndpoints(endpoints))
        .containsExactly(
            new DiscoveredEndpoint(Endpoint.parse("10.0.0.1:6443"), true, true, false),
            new DiscoveredEndpoint(Endpoint.parse("10.0.0.2:6443"), false, false, false));
  }
}
