package dev.lifeline.dnscheck.internal.mode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.dnscheck.DeploymentMode;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.DnsCheckListener;
import dev.lifeline.dnscheck.DnsCheckReport;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.Verdict;
import dev.lifeline.dnscheck.internal.PodRef;
import dev.lifeline.dnscheck.internal.cluster.DnsTopology;
import dev.lifeline.dnscheck.internal.engine.CheckLoop;
import dev.lifeline.dnscheck.internal.engine.ModeSetup;
import dev.lifeline.dnscheck.internal.probe.DnsProber;
import dev.lifeline.dnscheck.internal.remediation.EventSink;
import dev.lifeline.testkit.dns.DnsRecords;
import dev.lifeline.testkit.dns.FakeCoreDns;
import dev.lifeline.testkit.dns.FakeDnsPod;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The port-forward mode's probing and reporting with real DNS servers. The light client has no
 * port-forward stream and the fake control plane no {@code pods/portforward}, so the forward is a
 * local TCP relay to the pod, which is what a port-forward gives the checker.
 */
class PortForwardModeIT {
  private static final DnsRecords RECORDS =
      DnsRecords.forDomain("cluster.local").withService("default", "kubernetes", "10.96.0.1");

  @Test
  void everyPodIsProbedOverTcpOnlyAndAWrongOneIsFailingButNotRestarted() throws Exception {
    DnsCheckConfig config =
        DnsCheckConfig.builder(Map.of())
            .interval(Duration.ofMillis(200))
            .timeout(Duration.ofMillis(150))
            .minSamples(5)
            .windowSize(10)
            .consecutiveFailures(3)
            .metricsAddress(null)
            .build();
    AtomicInteger restarts = new AtomicInteger();
    try (FakeCoreDns dns = FakeCoreDns.builder().records(RECORDS).build();
        DnsProber prober = DnsProber.start();
        TcpForwarder forwarder = new TcpForwarder()) {
      for (String p : List.of("coredns-a", "coredns-b")) {
        forwarder.pods.put(p, dns.addPod(p));
      }
      dns.pod("coredns-b")
          .serve(
              DnsRecords.forDomain("cluster.local")
                  .withService("default", "kubernetes", "10.96.0.99"));
      DnsTopology topology = topology(dns);
      PortForwards forwards = new PortForwards(config, prober, forwarder);
      ModeSetup mode = forwards.setUp(topology, "test").orElseThrow();
      assertThat(mode.mode()).isEqualTo(DeploymentMode.PORT_FORWARD);
      assertThat(mode.remediationAllowed()).isFalse();

      DnsCheckReport r;
      try (CheckLoop loop =
          new CheckLoop(
              config,
              false,
              mode,
              () -> topology,
              pod -> {
                restarts.incrementAndGet();
                throw new AssertionError("port-forward mode must not restart");
              },
              EventSink.NONE,
              () -> true,
              DnsCheckListener.NONE,
              System::nanoTime,
              Clock.systemUTC())) {
        r = loop.runOnce(8).get(20, TimeUnit.SECONDS);
      } finally {
        forwards.close();
      }

      assertThat(r.targets())
          .extracting(DnsCheckReport.TargetReport::name)
          .containsExactly("coredns-a", "coredns-b");
      assertThat(r.targets())
          .allSatisfy(
              t -> {
                assertThat(t.streams())
                    .allSatisfy(s -> assertThat(s.transport()).isEqualTo(Transport.TCP));
                assertThat(t.note()).startsWith("through port-forward 127.0.0.1:");
              });
      assertThat(r.targets().get(0).verdict()).isEqualTo(Verdict.HEALTHY);
      assertThat(r.targets().get(1).verdict()).isEqualTo(Verdict.FAILING);
      assertThat(r.toTable()).contains("cannot see: UDP");
      assertThat(restarts).hasValue(0);
      assertThat(forwarder.opened).hasValue(2);
      assertThat(forwarder.open).isEmpty();
    }
  }

  private static DnsTopology topology(FakeCoreDns dns) throws IOException {
    List<DnsTopology.DnsPod> pods = new ArrayList<>();
    for (FakeDnsPod p : dns.pods()) {
      pods.add(
          new DnsTopology.DnsPod(
              new PodRef("kube-system", p.name(), "uid-" + p.name(), "node-1"),
              p.ip(),
              true,
              false,
              "Running"));
    }
    return new DnsTopology(
        new DnsTopology.DnsService(
            "kube-system",
            "kube-dns",
            "uid",
            List.of(dns.serviceAddress().getAddress()),
            dns.port(),
            dns.port(),
            "ClusterIP",
            Map.of("k8s-app", "kube-dns")),
        pods,
        List.of(InetAddress.getByName("10.96.0.1")),
        "cluster.local",
        "test",
        Optional.empty());
  }

  /** A TCP relay from a local port to the pod, standing in for the API server's port-forward. */
  static final class TcpForwarder implements PortForwards.Forwarder, AutoCloseable {
    final Map<String, FakeDnsPod> pods = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicInteger opened = new AtomicInteger();
    final List<ServerSocket> open = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Optional<String> unavailable() {
      return Optional.empty();
    }

    @Override
    public PortForwards.Forward open(String namespace, String pod, int port) {
      FakeDnsPod target = pods.get(pod);
      try {
        ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        open.add(server);
        opened.incrementAndGet();
        Thread.ofVirtual().start(() -> accept(server, new InetSocketAddress(target.ip(), port)));
        return new PortForwards.Forward() {
          @Override
          public InetSocketAddress local() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
          }

          @Override
          public boolean isAlive() {
            return !server.isClosed();
          }

          @Override
          public void close() {
            open.remove(server);
            try {
              server.close();
            } catch (IOException e) {
              // closing anyway
            }
          }
        };
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private static void accept(ServerSocket server, InetSocketAddress to) {
      while (!server.isClosed()) {
        try {
          Socket in = server.accept();
          Socket out = new Socket(to.getAddress(), to.getPort());
          Thread.ofVirtual().start(() -> pipe(in, out));
          Thread.ofVirtual().start(() -> pipe(out, in));
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void pipe(Socket from, Socket to) {
      try (InputStream i = from.getInputStream();
          OutputStream o = to.getOutputStream()) {
        i.transferTo(o);
      } catch (IOException e) {
        // one side closed
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }

    @Override
    public void close() throws IOException {
      for (ServerSocket s : open) {
        s.close();
      }
    }
  }
}
