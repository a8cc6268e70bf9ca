package dev.lifeline.okhttp;

import static dev.lifeline.failover.it.ControlPlaneEngines.awaitUp;
import static dev.lifeline.failover.it.ControlPlaneEngines.endpoint;
import static dev.lifeline.failover.it.ControlPlaneEngines.millis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.client.KubeConfig;
import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.failover.it.ControlPlaneEngines;
import dev.lifeline.failover.it.EventRecorder;
import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.DropMode;
import dev.lifeline.testkit.FakeControlPlaneExtension;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.KubeconfigWriter;
import dev.lifeline.testkit.RequiresRoot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttp;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain OkHttpClient wired with {@link LifelineOkHttp#configure}, against three fake apiservers;
 * the build runs it on OkHttp 5 and again on OkHttp 4.12.
 */
class OkHttpFailoverIT {
  @RegisterExtension static final FakeControlPlaneExtension cp = ControlPlaneEngines.controlPlane();
  private static SSLContext tls;
  private static X509TrustManager trustManager;

  @TempDir Path dir;
  final EventRecorder events = new EventRecorder();
  final List<AutoCloseable> resources = new ArrayList<>();
  String userAgent;

  @BeforeAll
  static void trust() throws Exception {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(cp.ca().trustStore());
    trustManager = (X509TrustManager) trust.getTrustManagers()[0];
    tls = SSLContext.getInstance("TLS");
    tls.init(null, new javax.net.ssl.TrustManager[] {trustManager}, null);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  OkHttpClient client(TestInfo test, UnaryOperator<KubeconfigWriter> server) {
    ControlPlaneEngines.awaitAllListed(cp);
    userAgent = "okhttp-it/" + OkHttp.VERSION + "/" + test.getTestMethod().orElseThrow().getName();
    KubeConfig kubeConfig = ControlPlaneEngines.kubeConfig(cp, dir, server);
    FailoverEngine engine =
        FailoverEngine.start(ControlPlaneEngines.config(cp, kubeConfig, events, 0).build());
    resources.add(engine);
    awaitUp(engine, 3);
    OkHttpClient client =
        LifelineOkHttp.configure(
                new OkHttpClient.Builder().sslSocketFactory(tls.getSocketFactory(), trustManager),
                engine)
            .build();
    resources.add(
        () -> {
          client.dispatcher().executorService().shutdown();
          client.connectionPool().evictAll();
        });
    return client;
  }

  ApiServerInstance get(OkHttpClient client, String url) throws IOException {
    try (Response response =
        client
            .newCall(
                new Request.Builder().url(url + "/version").header("User-Agent", userAgent).build())
            .execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
    return cp.instanceUsedBy(userAgent).orElseThrow();
  }

  String byName() {
    return "https://" + cp.serverName() + ":" + cp.port();
  }

  @Test
  @RequiresRoot(value = "iptables to drop packets", commands = "iptables")
  void aBlackholedApiserverCostsACallUnderASecond(TestInfo test) throws Exception {
    OkHttpClient client = client(test, KubeconfigWriter::serverByName);
    ApiServerInstance victim = get(client, byName());

    long blackholed = System.nanoTime();
    victim.inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED));
    ApiServerInstance answered = get(client, byName());
    long done = System.nanoTime();

    EventRecorder.Event down =
        events.await("down " + endpoint(victim), blackholed, Duration.ofSeconds(5));
    System.out.printf(
        "OkHttp %s: blackhole of %s detected in %d ms; a call issued at the blackhole returned in"
            + " %d ms from %s%n",
        OkHttp.VERSION,
        victim.address().getHostAddress(),
        millis(blackholed, down.nanos()),
        millis(blackholed, done),
        answered.address().getHostAddress());
    assertThat(millis(blackholed, down.nanos())).isLessThan(1_500);
    assertThat(millis(blackholed, done)).isLessThan(3_000);
    assertThat(answered).isNotEqualTo(victim);
  }

  @Test
  void anIpHostFailsOverAtTheConnectionLevel(TestInfo test) throws Exception {
    ApiServerInstance first = cp.instance(0);
    OkHttpClient client = client(test, w -> w.server(first));

    first.inject(Fault.reset());

    for (int i = 0; i < 3; i++) {
      assertThat(get(client, first.url().toString())).isNotEqualTo(first);
    }
  }

  @Test
  void duringAGracefulShutdownNewCallsMoveOffThePooledConnection(TestInfo test) throws Exception {
    OkHttpClient client = client(test, KubeconfigWriter::serverByName);
    ApiServerInstance leaving = get(client, byName());
    assertThat(client.connectionPool().connectionCount()).isEqualTo(1);

    long stop = System.nanoTime();
    var stopped = leaving.stopGracefullyAsync();
    events.await("closed DRAINED " + endpoint(leaving), stop, Duration.ofSeconds(6));

    assertThat(leaving.state()).isEqualTo(ApiServerInstance.State.TERMINATING);
    for (int i = 0; i < 3; i++) {
      assertThat(get(client, byName())).isNotEqualTo(leaving);
    }
    stopped.get(15, TimeUnit.SECONDS);
  }
}
