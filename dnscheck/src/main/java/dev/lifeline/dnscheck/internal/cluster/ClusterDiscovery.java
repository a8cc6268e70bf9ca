package dev.lifeline.dnscheck.internal.cluster;

import dev.lifeline.client.Informer;
import dev.lifeline.client.InformerListener;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.ListOptions;
import dev.lifeline.client.ResourceHandler;
import dev.lifeline.client.ResourceList;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.model.ConfigMap;
import dev.lifeline.client.model.GenericObject;
import dev.lifeline.client.model.IntOrString;
import dev.lifeline.client.model.Pod;
import dev.lifeline.client.model.Service;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.internal.PodRef;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.Address;

/**
 * Finds the cluster's DNS through the API and keeps following it: the DNS Service (by name or label
 * selector) and its ClusterIPs, every pod its selector matches (ready or not) with IP and node, the
 * {@code kubernetes} Service's ClusterIPs, the cluster domain from the Corefile (unless
 * configured), and NodeLocal DNSCache.
 *
 * <p>Informers watch the pods, the two Services and the DNS namespace's ConfigMaps, so pods that
 * come and go are followed. The API is reached by the client's configured address; nothing here
 * resolves a name through DNS.
 *
 * <p>Thread-safe: {@link #current()} builds a snapshot from the informers' stores.
 */
public final class ClusterDiscovery implements AutoCloseable {
  private static final String NODE_LOCAL_DNS = "node-local-dns";

  private final DnsCheckConfig config;
  private final String server;
  private final String namespace;
  private final String serviceName;
  private final Informer<Service> dnsService;
  private final Informer<Service> kubernetesService;
  private final Informer<Pod> pods;
  private final Informer<ConfigMap> configMaps;
  private final Optional<List<String>> nodeLocalDaemonSet;
  private final AtomicReference<Runnable> onChange = new AtomicReference<>(() -> {});

  private ClusterDiscovery(
      DnsCheckConfig config,
      String server,
      String serviceName,
      Informer<Service> dnsService,
      Informer<Service> kubernetesService,
      Informer<Pod> pods,
      Informer<ConfigMap> configMaps,
      Optional<List<String>> nodeLocalDaemonSet) {
    this.config = config;
    this.server = server;
    this.namespace = config.dnsNamespace();
    this.serviceName = serviceName;
    this.dnsService = dnsService;
    this.kubernetesService = kubernetesService;
    this.pods = pods;
    this.configMaps = configMaps;
    this.nodeLocalDaemonSet = nodeLocalDaemonSet;
  }

  /**
   * Finds the DNS Service and starts following it.
   *
   * @param syncTimeout how long to wait for the first lists
   * @throws DiscoveryException with one line for the user when the Service is missing, access is
   *     forbidden or the API does not answer
   */
  public static ClusterDiscovery start(
      KubeClient client, DnsCheckConfig config, Duration syncTimeout) {
    String server = String.valueOf(client.config().server());
    String ns = config.dnsNamespace();
    Service service = findService(client, config, server);
    String podSelector =
        config
            .dnsPodSelector()
            .orElseGet(
                () -> {
                  if (service.selector().isEmpty()) {
                    throw new DiscoveryException(
                        DiscoveryException.Kind.NOT_FOUND,
                        "the DNS Service "
                            + ns
                            + "/"
                            + service.metadata().name()
                            + " has no selector; name its pods with --dns-pod-selector",
                        null);
                  }
                  return selector(service.selector());
                });
    Optional<List<String>> daemonSet = nodeLocalDaemonSet(client, ns);
    String name = service.metadata().name();
    SyncWatch sync = new SyncWatch(4);
    List<Informer<?>> started = new ArrayList<>();
    try {
      Informer<Service> dns =
          started(
              started,
              client
                  .informer(ResourceType.SERVICE)
                  .namespace(ns)
                  .fieldSelector("metadata.name=" + name)
                  .name("dnscheck-dns-service")
                  .listener(sync)
                  .handler(sync.handler())
                  .start());
      Informer<Service> kubernetes =
          started(
              started,
              client
                  .informer(ResourceType.SERVICE)
                  .namespace("default")
                  .fieldSelector("metadata.name=kubernetes")
                  .name("dnscheck-kubernetes-service")
                  .listener(sync)
                  .handler(sync.handler())
                  .start());
      Informer<Pod> pods =
          started(
              started,
              client
                  .informer(ResourceType.POD)
                  .namespace(ns)
                  .labelSelector(podSelector)
                  .name("dnscheck-dns-pods")
                  .listener(sync)
                  .handler(sync.handler())
                  .start());
      Informer<ConfigMap> cms =
          started(
              started,
              client
                  .informer(ResourceType.CONFIG_MAP)
                  .namespace(ns)
                  .name("dnscheck-configmaps")
                  .listener(sync)
                  .handler(sync.handler())
                  .start());
      ClusterDiscovery d =
          new ClusterDiscovery(config, server, name, dns, kubernetes, pods, cms, daemonSet);
      sync.owner = d;
      sync.await(syncTimeout, server);
      return d;
    } catch (RuntimeException e) {
      for (Informer<?> i : started) {
        i.close();
      }
      throw e;
    }
  }

  private static <T> Informer<T> started(List<Informer<?>> all, Informer<T> i) {
    all.add(i);
    return i;
  }

  private static Service findService(KubeClient client, DnsCheckConfig config, String server) {
    String ns = config.dnsNamespace();
    if (config.dnsServiceSelector().isPresent()) {
      String sel = config.dnsServiceSelector().get();
      ResourceList<Service> found;
      try {
        found = client.list(ResourceType.SERVICE, ListOptions.inNamespace(ns).labelSelector(sel));
      } catch (RuntimeException e) {
        throw ApiErrors.explain("list services in " + ns + " by " + sel, server, e);
      }
      if (found.items().isEmpty()) {
        throw new DiscoveryException(
            DiscoveryException.Kind.NOT_FOUND,
            "no DNS Service in "
                + ns
                + " matches "
                + sel
                + "; check --dns-service-selector and --dns-namespace",
            null);
      }
      if (found.items().size() > 1) {
        StringJoiner names = new StringJoiner(", ");
        found.items().forEach(s -> names.add(s.metadata().name()));
        throw new DiscoveryException(
            DiscoveryException.Kind.NOT_FOUND,
            "several Services in "
                + ns
                + " match "
                + sel
                + " ("
                + names
                + "); name one with --dns-service",
            null);
      }
      return found.items().get(0);
    }
    try {
      return client
          .find(ResourceType.SERVICE, ns, config.dnsService())
          .orElseThrow(
              () ->
                  new DiscoveryException(
                      DiscoveryException.Kind.NOT_FOUND,
                      "no DNS Service "
                          + ns
                          + "/"
                          + config.dnsService()
                          + " in the cluster at "
                          + server
                          + "; name it with --dns-service (and --dns-namespace) or find it with"
                          + " --dns-service-selector k8s-app=kube-dns",
                      null));
    } catch (DiscoveryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw ApiErrors.explain("get service " + ns + "/" + config.dnsService(), server, e);
    }
  }

  /**
   * The addresses a node-local-dns DaemonSet binds (its containers' {@code -localip} argument,
   * which node-cache also substitutes for the Corefile's {@code __PILLAR__} placeholders), if it
   * exists; unreadable (forbidden, unknown) counts as absent. Read once, at start.
   */
  private static Optional<List<String>> nodeLocalDaemonSet(KubeClient client, String ns) {
    Optional<GenericObject> ds;
    try {
      ds =
          client.find(
              ResourceType.generic("apps", "v1", "daemonsets", "DaemonSet", true),
              ns,
              NODE_LOCAL_DNS);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return ds.map(ClusterDiscovery::localIps);
  }

  /**
   * The IP literals of {@code -localip a,b} (or {@code -localip=a,b}) in a DaemonSet's containers.
   */
  static List<String> localIps(GenericObject daemonSet) {
    List<String> out = new ArrayList<>();
    if (!(daemonSet.at("spec", "template", "spec", "containers") instanceof List<?> containers)) {
      return out;
    }
    for (Object c : containers) {
      if (!(c instanceof Map<?, ?> container)) {
        continue;
      }
      List<String> words = new ArrayList<>();
      for (String key : List.of("command", "args")) {
        if (container.get(key) instanceof List<?> list) {
          list.forEach(w -> words.add(String.valueOf(w)));
        }
      }
      for (int i = 0; i < words.size(); i++) {
        String w = words.get(i);
        String value = null;
        if ((w.equals("-localip") || w.equals("--localip")) && i + 1 < words.size()) {
          value = words.get(i + 1);
        } else if (w.startsWith("-localip=") || w.startsWith("--localip=")) {
          value = w.substring(w.indexOf('=') + 1);
        }
        if (value != null) {
          for (String ip : value.split(",")) {
            if (ip(ip.strip()) != null && !out.contains(ip.strip())) {
              out.add(ip.strip());
            }
          }
        }
      }
    }
    return out;
  }

  private static String selector(Map<String, String> labels) {
    StringJoiner j = new StringJoiner(",");
    new TreeMap<>(labels).forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }

  /** Runs {@code action} (on an informer's thread) whenever something watched changes. */
  public void onChange(Runnable action) {
    onChange.set(action);
  }

  /**
   * The topology now.
   *
   * @throws DiscoveryException when the DNS Service was deleted
   */
  public DnsTopology current() {
    Service s =
        dnsService
            .store()
            .get(namespace, serviceName)
            .orElseThrow(
                () ->
                    new DiscoveryException(
                        DiscoveryException.Kind.NOT_FOUND,
                        "the DNS Service " + namespace + "/" + serviceName + " was deleted",
                        null));
    Service.Port dnsPort = dnsPort(s);
    IntOrString target = dnsPort.targetPort();
    String targetName = target != null && !target.isInt() ? target.stringValue() : "";
    int targetNumber = target == null ? dnsPort.port() : target.isInt() ? target.intValue() : 0;
    List<DnsTopology.DnsPod> dnsPods = new ArrayList<>();
    for (Pod p : pods.store().list(namespace)) {
      dnsPods.add(
          new DnsTopology.DnsPod(
              new PodRef(namespace, p.metadata().name(), p.metadata().uid(), p.nodeName()),
              ip(p.podIP()),
              targetName.isEmpty()
                  ? targetNumber
                  : p.portNumber(targetName, protocolOf(dnsPort)).orElse(0),
              p.isReady(),
              p.metadata().deletionTimestamp() != null,
              p.phase() == null ? "Unknown" : p.phase()));
    }
    List<InetAddress> kubernetesIps =
        kubernetesService
            .store()
            .get("default", "kubernetes")
            .map(ClusterDiscovery::clusterIps)
            .orElse(List.of());
    String[] domain = domain();
    DnsTopology.DnsService service =
        new DnsTopology.DnsService(
            namespace,
            serviceName,
            s.metadata().uid() == null ? "" : s.metadata().uid(),
            clusterIps(s),
            dnsPort.port(),
            targetNumber,
            targetName,
            s.type() == null ? "ClusterIP" : s.type(),
            s.selector());
    return new DnsTopology(
        service, dnsPods, kubernetesIps, domain[0], domain[1], nodeLocal(service));
  }

  /** The exposing ports of the DNS Service (NodePort, LoadBalancer), for the exposed-port mode. */
  public Service dnsServiceObject() {
    return dnsService.store().get(namespace, serviceName).orElseThrow();
  }

  private String[] domain() {
    if (config.clusterDomain().isPresent()) {
      return new String[] {config.clusterDomain().get(), "--cluster-domain"};
    }
    Optional<ConfigMap> cm = configMaps.store().get(namespace, config.corefileConfigMap());
    if (cm.isPresent()) {
      String corefile = cm.get().get("Corefile");
      if (corefile != null) {
        Optional<String> d = Corefile.clusterDomain(corefile);
        if (d.isPresent()) {
          return new String[] {
            d.get(), "Corefile in ConfigMap " + namespace + "/" + config.corefileConfigMap()
          };
        }
      }
      return new String[] {
        "cluster.local",
        "default: ConfigMap "
            + namespace
            + "/"
            + config.corefileConfigMap()
            + " has no kubernetes plugin"
      };
    }
    return new String[] {
      "cluster.local",
      "default: no ConfigMap "
          + namespace
          + "/"
          + config.corefileConfigMap()
          + " (set --cluster-domain)"
    };
  }

  private Optional<DnsTopology.NodeLocalDns> nodeLocal(DnsTopology.DnsService service) {
    Optional<ConfigMap> cm = configMaps.store().get(namespace, NODE_LOCAL_DNS);
    if (cm.isEmpty() && nodeLocalDaemonSet.isEmpty()) {
      return Optional.empty();
    }
    Set<String> binds = new LinkedHashSet<>();
    List<String> sources = new ArrayList<>();
    if (nodeLocalDaemonSet.isPresent()) {
      sources.add("DaemonSet " + namespace + "/" + NODE_LOCAL_DNS);
      binds.addAll(nodeLocalDaemonSet.get());
    }
    if (cm.isPresent()) {
      sources.add("ConfigMap " + namespace + "/" + NODE_LOCAL_DNS);
      if (cm.get().get("Corefile") != null) {
        // Placeholders (__PILLAR__LOCAL__DNS__) are filled in by node-cache from -localip.
        for (String a : Corefile.bindAddresses(cm.get().get("Corefile"))) {
          if (ip(a) != null) {
            binds.add(a);
          }
        }
      }
    }
    String source = String.join(" and ", sources);
    boolean owns = false;
    for (InetAddress ip : service.clusterIps()) {
      owns |= binds.contains(ip.getHostAddress());
    }
    return Optional.of(new DnsTopology.NodeLocalDns(source, List.copyOf(binds), owns));
  }

  private static Service.Port dnsPort(Service s) {
    Service.Port best = null;
    for (Service.Port p : s.ports()) {
      boolean udp = p.protocol() == null || p.protocol().equalsIgnoreCase("UDP");
      if (udp && "dns".equals(p.name())) {
        return p;
      }
      if (best == null && udp && p.port() == 53) {
        best = p;
      }
    }
    if (best != null) {
      return best;
    }
    if (!s.ports().isEmpty()) {
      return s.ports().get(0);
    }
    return new Service.Port("dns", "UDP", 53, IntOrString.of(53), null, null);
  }

  private static String protocolOf(Service.Port p) {
    return p.protocol() == null ? "TCP" : p.protocol();
  }

  private static List<InetAddress> clusterIps(Service s) {
    List<String> raw =
        !s.clusterIPs().isEmpty()
            ? s.clusterIPs()
            : s.clusterIP() == null ? List.of() : List.of(s.clusterIP());
    List<InetAddress> out = new ArrayList<>();
    for (String ip : raw) {
      InetAddress a = ip(ip);
      if (a != null) {
        out.add(a);
      }
    }
    return out;
  }

  /** Parses an IP literal without any DNS lookup; null for none or "None". */
  static InetAddress ip(String literal) {
    if (literal == null || literal.isBlank() || literal.equals("None")) {
      return null;
    }
    byte[] raw = Address.toByteArray(literal, literal.contains(":") ? Address.IPv6 : Address.IPv4);
    if (raw == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** The API server's URL, for messages. */
  public String server() {
    return server;
  }

  @Override
  public void close() {
    for (Informer<?> i : List.of(dnsService, kubernetesService, pods, configMaps)) {
      i.close();
    }
  }

  /** Waits for the informers' first lists and passes their changes on. */
  private static final class SyncWatch implements InformerListener {
    private final CountDownLatch synced;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicReference<String> failedInformer = new AtomicReference<>();
    volatile ClusterDiscovery owner;

    SyncWatch(int informers) {
      this.synced = new CountDownLatch(informers);
    }

    <T> ResourceHandler<T> handler() {
      return new ResourceHandler<>() {
        @Override
        public void onAdd(T object, boolean isInInitialList) {
          changed();
        }

        @Override
        public void onUpdate(T oldObject, T newObject) {
          changed();
        }

        @Override
        public void onDelete(T object, boolean finalStateUnknown) {
          changed();
        }

        @Override
        public void onSynced() {
          synced.countDown();
        }
      };
    }

    private void changed() {
      ClusterDiscovery d = owner;
      if (d != null) {
        d.onChange.get().run();
      }
    }

    @Override
    public void failed(String informer, Throwable error) {
      failure.set(error);
      failedInformer.set(informer);
    }

    void await(Duration timeout, String server) {
      try {
        if (synced.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DiscoveryException(
            DiscoveryException.Kind.UNREACHABLE, "interrupted while reading the DNS topology", e);
      }
      Throwable f = failure.get();
      String what = describe(failedInformer.get());
      if (f instanceof RuntimeException re) {
        throw ApiErrors.explain(what, server, re);
      }
      throw new DiscoveryException(
          DiscoveryException.Kind.UNREACHABLE,
          "the API server at "
              + server
              + " did not answer the first lists within "
              + timeout.toSeconds()
              + " s",
          f);
    }

    private static String describe(String informer) {
      if (informer == null) {
        return "list the DNS objects";
      }
      return switch (informer) {
        case "dnscheck-dns-pods" -> "list and watch the DNS pods";
        case "dnscheck-configmaps" -> "list and watch configmaps";
        default -> "list and watch services";
      };
    }
  }
}
