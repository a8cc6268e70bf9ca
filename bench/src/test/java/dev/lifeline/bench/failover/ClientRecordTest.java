package dev.lifeline.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import org.junit.jupiter.api.Test;

class ClientRecordTest {
  @Test
  void everyRecordSurvivesARoundTripThroughItsLine() {
    ClientRecord[] records = {
      new ClientRecord.Clock(12),
      new ClientRecord.Ready(13),
      new ClientRecord.Get(1, 2, true, ""),
      new ClientRecord.Get(1, 2, false, "SocketTimeoutException: timeout <- x"),
      new ClientRecord.Delivery(5, 'U', "watched-3", 4711),
      new ClientRecord.EngineEvent(6, "down", "127.0.0.2:6443", "no HTTP/2 PING ack within 500 ms"),
      new ClientRecord.EndpointStates(7, 3, "127.0.0.2:6443=UP/1,127.0.0.3:6443=UP/0"),
      new ClientRecord.Fatal("cannot read the kubeconfig")
    };
    for (ClientRecord r : records) {
      assertThat(ClientRecord.parse(r.format())).as(r.format()).isEqualTo(r);
    }
  }

  @Test
  void theEndpointStatesTellTheConnectionsTrackedToEach() {
    ClientRecord.EndpointStates states =
        new ClientRecord.EndpointStates(7, 2, "127.0.0.2:6443=UP/2,127.0.0.3:6443=DOWN/0");

    assertThat(states.connectionsTo("127.0.0.2:6443")).isEqualTo(2);
    assertThat(states.connectionsTo("127.0.0.3:6443")).isZero();
    assertThat(states.connectionsTo("127.0.0.4:6443")).isEqualTo(-1);
  }

  @Test
  void aFailureMessageStaysOnOneLine() {
    String line = new ClientRecord.Get(1, 2, false, "first\nsecond\tthird").format();

    assertThat(line).doesNotContain("\n");
    assertThat(((ClientRecord.Get) ClientRecord.parse(line)).detail())
        .isEqualTo("first second third");
  }

  @Test
  void linesThatAreNotRecordsAreIgnored() {
    assertThat(ClientRecord.parse("SLF4J: No providers were found.")).isNull();
    assertThat(ClientRecord.parse("@get not-a-number")).isNull();
    assertThat(ClientRecord.parse("")).isNull();
  }

  @Test
  void theJdkResolverStaysOffTheClassPathOfConfigurationsThatDoNotUseIt() {
    String cp =
        String.join(
            File.pathSeparator,
            "/m2/lifeline-client-0.1.jar",
            "/m2/lifeline-jdk-resolver-0.1.0-SNAPSHOT.jar",
            "/work/adapters/jdk-resolver/target/classes");

    assertThat(ClientProcess.classPathFor(Configuration.byId("fabric8-vertx"), cp))
        .isEqualTo("/m2/lifeline-client-0.1.jar");
    assertThat(ClientProcess.classPathFor(Configuration.byId("fabric8-vertx+lifeline"), cp))
        .isEqualTo(cp);
  }
}
