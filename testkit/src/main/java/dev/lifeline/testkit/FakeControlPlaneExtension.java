package dev.lifeline.testkit;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A {@link FakeControlPlane} as a JUnit 5 extension, and the control plane itself by delegation.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FakeControlPlaneExtension cp = FakeControlPlaneExtension.withInstances(3);
 *
 * @Test
 * void listsPods() {
 *   cp.store().create(...);
 *   String kubeconfig = cp.kubeconfig().toYaml();
 * }
 * }</pre>
 *
 * <p>Registered on a static field, one control plane serves the whole class (started before the
 * first test, closed after the last) and, by default, every instance is restored after each test
 * (faults removed, crashed or stopped instances restarted) so tests do not leak faults into each
 * other; the store is shared. On an instance field, each test gets its own control plane. Test
 * methods may also take a {@link FakeControlPlane} parameter.
 *
 * <p>The default builder uses {@link FakeControlPlane.Builder#ephemeralPort()}, since test JVMs run
 * side by side; a builder passed in is used as given.
 */
public final class FakeControlPlaneExtension
    implements FakeControlPlane,
        BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {
  private final FakeControlPlane.Builder builder;
  private boolean restoreAfterEach = true;
  private volatile FakeControlPlane controlPlane;
  private boolean perClass;

  /** Three instances on an ephemeral port, otherwise the builder's defaults. */
  public FakeControlPlaneExtension() {
    this(FakeControlPlane.builder().ephemeralPort());
  }

  /** A control plane from the given builder (remember {@code ephemeralPort()} in tests). */
  public FakeControlPlaneExtension(FakeControlPlane.Builder builder) {
    this.builder = Objects.requireNonNull(builder, "builder");
  }

  /** {@code count} instances on an ephemeral port. */
  public static FakeControlPlaneExtension withInstances(int count) {
    return new FakeControlPlaneExtension(
        FakeControlPlane.builder().instances(count).ephemeralPort());
  }

  /**
   * Keeps faults and stopped instances across tests of a class (default: restore after each test).
   */
  public FakeControlPlaneExtension keepFaultsBetweenTests() {
    this.restoreAfterEach = false;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    controlPlane = builder.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (controlPlane == null) {
      controlPlane = builder.start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perClass) {
      if (restoreAfterEach && controlPlane != null) {
        controlPlane.restoreAll();
      }
    } else {
      close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == FakeControlPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return running();
  }

  private FakeControlPlane running() {
    FakeControlPlane cp = controlPlane;
    if (cp == null) {
      throw new IllegalStateException(
          "the fake control plane is not running: register FakeControlPlaneExtension with"
              + " @RegisterExtension and use it inside tests or @BeforeEach/@BeforeAll methods");
    }
    return cp;
  }

  @Override
  public List<ApiServerInstance> instances() {
    return running().instances();
  }

  @Override
  public ApiServerInstance instance(int index) {
    return running().instance(index);
  }

  @Override
  public FakeStore store() {
    return running().store();
  }

  @Override
  public PodLogs podLogs() {
    return running().podLogs();
  }

  @Override
  public int port() {
    return running().port();
  }

  @Override
  public String serverName() {
    return running().serverName();
  }

  @Override
  public String clusterIp() {
    return running().clusterIp();
  }

  @Override
  public InetSocketAddress serviceAddress() {
    return running().serviceAddress();
  }

  @Override
  public InetSocketAddress loadBalancerAddress() {
    return running().loadBalancerAddress();
  }

  @Override
  public CertificateAuthority ca() {
    return running().ca();
  }

  @Override
  public TestUser admin() {
    return running().admin();
  }

  @Override
  public TestUser user(String name) {
    return running().user(name);
  }

  @Override
  public List<TestUser> users() {
    return running().users();
  }

  @Override
  public KubeconfigWriter kubeconfig() {
    return new KubeconfigWriter(running());
  }

  @Override
  public Optional<ApiServerInstance> instanceUsedBy(String userAgentPart) {
    return running().instanceUsedBy(userAgentPart);
  }

  @Override
  public Optional<ApiServerInstance> instanceServingClientPort(int clientPort) {
    return running().instanceServingClientPort(clientPort);
  }

  @Override
  public List<String> endpointAddresses() {
    return running().endpointAddresses();
  }

  @Override
  public com.fasterxml.jackson.databind.node.ObjectNode setLoadBalancerIngress(
      String namespace, String service, String... ips) {
    return running().setLoadBalancerIngress(namespace, service, ips);
  }

  @Override
  public void restoreAll() {
    running().restoreAll();
  }

  @Override
  public void close() {
    FakeControlPlane cp = controlPlane;
    controlPlane = null;
    if (cp != null) {
      cp.close();
    }
  }
}
