package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reset and a crash are abortive closes, as when a process dies or a firewall rejects: an RST on
 * every connection, HTTP/2 and HTTP/1.1, busy or idle, with no GOAWAY and no TLS close_notify
 * first, and refused connects afterwards. A client must not be able to mistake them for a graceful
 * stop.
 */
class ResetIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(FakeControlPlane.builder().instances(2).ephemeralPort());

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** How soon after the fault every connection must have seen its RST. */
  private static final long RESET_WITHIN_MILLIS = 300;

  @Test
  void aResetSendsAnRstWithoutGoAwayOnEveryConnectionAndRefusesNewOnes() throws Exception {
    abortiveCloseIsAReset(cp.instance(1), i -> i.inject(Fault.reset()));
  }

  @Test
  void aCrashSendsAnRstWithoutGoAwayOnEveryConnectionAndRefusesNewOnes() throws Exception {
    abortiveCloseIsAReset(cp.instance(1), ApiServerInstance::crash);
  }

  private void abortiveCloseIsAReset(ApiServerInstance instance, Consumer<ApiServerInstance> fault)
      throws Exception {
    try (KubeHttp http = new KubeHttp(cp, instance.index(), cp.admin().token());
        KubeHttp.Watch watch = http.watch("/api/v1/namespaces/default/configmaps?watch=true");
        RawTlsConnection idleH2 = RawTlsConnection.open(cp, instance.socketAddress(), true);
        RawTlsConnection idleH1 = RawTlsConnection.open(cp, instance.socketAddress(), false)) {
      assertThat(watch.code).isEqualTo(200);
      await().atMost(WAIT).until(() -> idleH2.frameTypes().contains(0x4)); // server SETTINGS
      await().atMost(WAIT).until(() -> instance.openConnections() == 3);

      long start = System.nanoTime();
      fault.accept(instance);

      for (RawTlsConnection c : List.of(idleH2, idleH1)) {
        assertThat(c.awaitEnd(WAIT.toMillis())).isTrue();
        assertThat(c.endedWithEof()).as("ended by FIN or close_notify").isFalse();
        assertThat(c.failure())
            .isInstanceOf(SocketException.class)
            .hasMessageContaining("Connection reset");
        assertThat(Duration.ofNanos(c.endNanos() - start).toMillis())
            .isLessThan(RESET_WITHIN_MILLIS);
      }
      assertThat(idleH2.frameTypes()).doesNotContain(RawTlsConnection.GOAWAY);
      assertThat(watch.rest(WAIT)).isEmpty();
    }
    try (Socket s = new Socket()) {
      assertThatThrownBy(() -> s.connect(instance.socketAddress(), 2000))
          .isInstanceOf(ConnectException.class);
    }
    assertThat(instance.openConnections()).isZero();
  }
}
