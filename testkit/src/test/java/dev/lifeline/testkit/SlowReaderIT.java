package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A watcher that does not read must not make the server buffer without bound: as the real apiserver
 * does with watchers that cannot keep up, the fake ends the watch once its queue is full, and the
 * client must resume.
 */
class SlowReaderIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder().instances(1).ephemeralPort().watchQueueLimit(50));

  @Test
  void aWatcherThatStopsReadingIsEndedInsteadOfBufferedForever() throws Exception {
    ApiServerInstance instance = cp.instance(0);
    try (SSLSocket s = (SSLSocket) KubeHttp.sslContext(cp).getSocketFactory().createSocket()) {
      s.setReceiveBufferSize(4096);
      s.connect(instance.socketAddress(), 5000);
      SSLParameters p = s.getSSLParameters();
      p.setApplicationProtocols(new String[] {"http/1.1"});
      s.setSSLParameters(p);
      s.startHandshake();
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET /api/v1/namespaces/default/configmaps?watch=true&resourceVersion="
                  + cp.store().resourceVersion()
                  + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  + cp.admin().token()
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> instance.openWatches() == 1);
      // One event read while the client still reads, so the stream is known to flow before it
      // stops: a burst that overflows the queue before the first write would also end the watch,
      // with nothing delivered.
      cp.store()
          .create(
              "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"first\","
                  + "\"namespace\":\"default\"}}");
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[65536];
      int n;
      while (!got.toString(StandardCharsets.UTF_8).contains("\"type\":\"ADDED\"")
          && (n = in.read(buf)) > 0) {
        got.write(buf, 0, n);
      }

      String payload = "x".repeat(16 * 1024);
      for (int i = 0; i < 400 && instance.openWatches() == 1; i++) {
        cp.store()
            .create(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big-"
                    + i
                    + "\",\"namespace\":\"default\"},\"data\":{\"x\":\""
                    + payload
                    + "\"}}");
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> instance.openWatches() == 0);

      while (!endsWithLastChunk(got) && (n = in.read(buf)) > 0) {
        got.write(buf, 0, n);
      }
      String text = got.toString(StandardCharsets.UTF_8);
      assertThat(text).startsWith("HTTP/1.1 200 OK");
      assertThat(text).contains("\"type\":\"ADDED\"");
      assertThat(text).endsWith("\r\n0\r\n\r\n");
      assertThat(text.split("\"type\":\"ADDED\"").length - 1).isLessThan(401);
    }
  }

  private static boolean endsWithLastChunk(ByteArrayOutputStream got) {
    return got.toString(StandardCharsets.UTF_8).endsWith("\r\n0\r\n\r\n");
  }
}
