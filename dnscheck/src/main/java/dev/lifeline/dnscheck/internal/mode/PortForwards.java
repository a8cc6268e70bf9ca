package dev.lifeline.dnscheck.internal.mode;

import dev.lifeline.dnscheck.DeploymentMode;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.internal.Target;
import dev.lifeline.dnscheck.internal.cluster.DnsTopology;
import dev.lifeline.dnscheck.internal.engine.ModeSetup;
import dev.lifeline.dnscheck.internal.engine.TargetPlanner;
import dev.lifeline.dnscheck.internal.probe.DnsProber;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The port-forward mode: every DNS pod is probed over TCP through a forward from a local port to
 * the pod's DNS port (port-forward carries TCP only, as the seed notes), so UDP failures cannot be
 * seen and the Service IP is not probed. Forwards are opened for new pods and closed for pods that
 * left. Failures are not attributed to pods (the forward runs through the API server and the
 * kubelet), so nothing is restarted.
 */
public final class PortForwards implements TargetPlanner, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PortForwards.class.getName());

  /** Opens a forward to a pod's port. */
  public interface Forwarder {
    /**
     * @throws IllegalStateException saying why the forward could not be opened
     */
    Forward open(String namespace, String pod, int port);
  }

  /** An open forward. */
  public interface Forward extends AutoCloseable {
    InetSocketAddress local();

    boolean isAlive();

    /** Why the latest forwarded connection failed, if one did (for the target's note). */
    default Optional<String> lastFailure() {
      return Optional.empty();
    }

    @Override
    void close();
  }

  private final DnsCheckConfig config;
  private final DnsProber prober;
  private final Forwarder forwarder;
  private final Map<String, Forward> open = new ConcurrentHashMap<>();

  public PortForwards(DnsCheckConfig config, DnsProber prober, Forwarder forwarder) {
    this.config = config;
    this.prober = prober;
    this.forwarder = forwarder;
  }

  /** The mode, probing through this. */
  public ModeSetup setUp(String reason) {
    return new ModeSetup(
        DeploymentMode.PORT_FORWARD,
        reason,
        prober::probe,
        null,
        this,
        EnumSet.of(Transport.TCP),
        false,
        List.of(
            "port-forward carries TCP only: UDP is not probed and the Service IP is not"
                + " probed; nothing is restarted"));
  }

  @Override
  public synchronized List<Target> targets(DnsTopology topology) {
    List<Target> out = new ArrayList<>();
    List<DnsTopology.DnsPod> pods = new ArrayList<>(topology.pods());
    pods.sort(Comparator.comparing(p -> p.ref().name()));
    List<String> live = new ArrayList<>();
    for (DnsTopology.DnsPod p : pods) {
      int port = config.dnsPort().orElse(p.port());
      if (p.terminating() || port <= 0) {
        continue;
      }
      String key = p.ref().toString() + "/" + p.ref().uid() + ":" + port;
      live.add(key);
      Forward f = open.get(key);
      if (f == null || !f.isAlive()) {
        if (f != null) {
          f.close();
        }
        try {
          f = forwarder.open(p.ref().namespace(), p.ref().name(), port);
          open.put(key, f);
        } catch (IllegalStateException e) {
          LOG.log(
              System.Logger.Level.WARNING, "no port-forward to " + p.ref() + ": " + e.getMessage());
          open.remove(key);
          continue;
        }
      }
      String note =
          "through port-forward "
              + f.local().getAddress().getHostAddress()
              + ":"
              + f.local().getPort()
              + " to "
              + (p.ip() == null ? "the pod" : p.ip().getHostAddress())
              + ":"
              + port
              + f.lastFailure().map(why -> "; the last forward failed: " + why).orElse("");
      out.add(
          new Target(
              Target.Kind.POD,
              "pod/" + p.ref(),
              f.local(),
              EnumSet.of(Transport.TCP),
              Optional.of(p.ref()),
              note));
    }
    for (String key : List.copyOf(open.keySet())) {
      if (!live.contains(key)) {
        open.remove(key).close();
      }
    }
    return out;
  }

  @Override
  public synchronized void close() {
    for (Forward f : open.values()) {
      f.close();
    }
    open.clear();
  }
}
