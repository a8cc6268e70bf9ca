package dev.lifeline.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes kubeconfig files for a fake control plane: one cluster (server URL, the CA as data,
 * optional {@code tls-server-name}), one user (bearer token, token file or client certificate) and
 * one context, which is current. Defaults: user {@code admin}, bearer token, instance 0's URL. Not
 * thread-safe; get a new writer from {@link FakeControlPlane#kubeconfig()} for each file.
 */
public final class KubeconfigWriter {
  private enum Credential {
    TOKEN,
    TOKEN_FILE,
    CLIENT_CERTIFICATE
  }

  private final FakeControlPlane controlPlane;
  private String user = "admin";
  private Credential credential = Credential.TOKEN;
  private Path tokenFile;
  private KeyAlgorithm keyAlgorithm = KeyAlgorithm.EC_P256;
  private KeyFormat keyFormat = KeyFormat.PKCS8;
  private String server;
  private String tlsServerName;
  private boolean insecureSkipTlsVerify;
  private String contextName = "lifeline-testkit";
  private String namespace;

  /** A writer for a control plane (usually obtained from {@link FakeControlPlane#kubeconfig()}). */
  public KubeconfigWriter(FakeControlPlane controlPlane) {
    this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
    this.server = controlPlane.instance(0).url().toString();
  }

  /** The user whose credentials go in (default {@code admin}). */
  public KubeconfigWriter user(String name) {
    controlPlane.user(name);
    this.user = name;
    return this;
  }

  /** Authenticate with the user's bearer token, inline (the default). */
  public KubeconfigWriter bearerToken() {
    this.credential = Credential.TOKEN;
    return this;
  }

  /**
   * Authenticate with a token file: the user's current token is written to the file and the
   * kubeconfig points at it ({@code tokenFile}).
   */
  public KubeconfigWriter tokenFile(Path file) {
    this.credential = Credential.TOKEN_FILE;
    this.tokenFile = Objects.requireNonNull(file, "file");
    return this;
  }

  /** Authenticate with the user's client certificate, its key in the given PEM format. */
  public KubeconfigWriter clientCertificate(KeyAlgorithm algorithm, KeyFormat format) {
    this.credential = Credential.CLIENT_CERTIFICATE;
    this.keyAlgorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.keyFormat = Objects.requireNonNull(format, "format");
    if (format == KeyFormat.PKCS1_RSA && algorithm != KeyAlgorithm.RSA_2048) {
      throw new IllegalArgumentException("key format PKCS1_RSA needs KeyAlgorithm.RSA_2048");
    }
    if (format == KeyFormat.SEC1_EC && algorithm != KeyAlgorithm.EC_P256) {
      throw new IllegalArgumentException("key format SEC1_EC needs KeyAlgorithm.EC_P256");
    }
    return this;
  }

  /** The server is one instance's URL. */
  public KubeconfigWriter server(ApiServerInstance instance) {
    this.server = instance.url().toString();
    return this;
  }

  /**
   * The server is the certificate's DNS name and the shared port: {@code
   * https://<serverName>:<port>}.
   */
  public KubeconfigWriter serverByName() {
    this.server = "https://" + controlPlane.serverName() + ":" + controlPlane.port();
    return this;
  }

  /**
   * The server is the {@code kubernetes} Service through the ClusterIP listener: {@code
   * https://10.96.0.1:443} as in a pod, or its loopback fallback (see {@link ClusterIpListener}).
   *
   * @throws IllegalStateException when the control plane has no ClusterIP listener
   */
  public KubeconfigWriter serverByService() {
    var service = controlPlane.serviceAddress();
    this.server = url(service.getAddress().getHostAddress(), service.getPort());
    return this;
  }

  /**
   * The server is the load balancer's address and port.
   *
   * @throws IllegalStateException when the control plane has no load balancer
   */
  public KubeconfigWriter serverByLoadBalancer() {
    var lb = controlPlane.loadBalancerAddress();
    this.server = url(lb.getAddress().getHostAddress(), lb.getPort());
    return this;
  }

  /**
   * The server is a host name (that resolves to the load balancer, such as {@code localhost}) with
   * the load balancer's port. The name must be in the serving certificate ({@code localhost} is).
   *
   * @throws IllegalStateException when the control plane has no load balancer
   */
  public KubeconfigWriter serverByLoadBalancer(String hostName) {
    Objects.requireNonNull(hostName, "hostName");
    this.server = url(hostName, controlPlane.loadBalancerAddress().getPort());
    return this;
  }

  private static String url(String host, int port) {
    return "https://" + host + ":" + port;
  }

  /** Any server URL (for example a proxy in front of the instances). */
  public KubeconfigWriter serverUrl(String url) {
    URI uri = URI.create(Objects.requireNonNull(url, "url"));
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new IllegalArgumentException("serverUrl must be an absolute URL, was " + url);
    }
    this.server = url;
    return this;
  }

  /** Sets {@code tls-server-name}, the name to verify the certificate against. */
  public KubeconfigWriter tlsServerName(String name) {
    this.tlsServerName = Objects.requireNonNull(name, "name");
    return this;
  }

  /** Sets {@code insecure-skip-tls-verify: true} (and leaves the CA out, as kubectl requires). */
  public KubeconfigWriter insecureSkipTlsVerify() {
    this.insecureSkipTlsVerify = true;
    return this;
  }

  /** The context's namespace. */
  public KubeconfigWriter namespace(String namespace) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    return this;
  }

  /** The context, cluster and user entry name (default {@code lifeline-testkit}). */
  public KubeconfigWriter contextName(String name) {
    this.contextName = Objects.requireNonNull(name, "name");
    return this;
  }

  /** The kubeconfig as YAML. */
  public String toYaml() {
    Base64.Encoder b64 = Base64.getEncoder();
    Map<String, Object> cluster = new LinkedHashMap<>();
    cluster.put("server", server);
    if (insecureSkipTlsVerify) {
      cluster.put("insecure-skip-tls-verify", true);
    } else {
      cluster.put(
          "certificate-authority-data",
          b64.encodeToString(
              controlPlane.ca().certificatePem().getBytes(StandardCharsets.US_ASCII)));
    }
    if (tlsServerName != null) {
      cluster.put("tls-server-name", tlsServerName);
    }
    TestUser u = controlPlane.user(user);
    Map<String, Object> userEntry = new LinkedHashMap<>();
    switch (credential) {
      case TOKEN -> userEntry.put("token", u.token());
      case TOKEN_FILE -> {
        try {
          Files.writeString(tokenFile, u.token());
        } catch (IOException e) {
          throw new UncheckedIOException("could not write the token file " + tokenFile, e);
        }
        userEntry.put("tokenFile", tokenFile.toAbsolutePath().toString());
      }
      case CLIENT_CERTIFICATE -> {
        ClientCertificate cert = u.clientCertificate(keyAlgorithm);
        userEntry.put(
            "client-certificate-data",
            b64.encodeToString(cert.certificatePem().getBytes(StandardCharsets.US_ASCII)));
        userEntry.put(
            "client-key-data",
            b64.encodeToString(cert.privateKeyPem(keyFormat).getBytes(StandardCharsets.US_ASCII)));
      }
      default -> throw new IllegalStateException("unknown credential " + credential);
    }
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("cluster", contextName);
    context.put("user", contextName);
    if (namespace != null) {
      context.put("namespace", namespace);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("apiVersion", "v1");
    root.put("kind", "Config");
    root.put("clusters", List.of(Map.of("name", contextName, "cluster", cluster)));
    root.put("users", List.of(Map.of("name", contextName, "user", userEntry)));
    root.put("contexts", List.of(Map.of("name", contextName, "context", context)));
    root.put("current-context", contextName);
    root.put("preferences", Map.of());
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setWidth(Integer.MAX_VALUE);
    return new Yaml(options).dump(root);
  }

  /**
   * Writes the kubeconfig to a file (owner read/write only where the file system supports it).
   *
   * @return the file
   */
  public Path writeTo(Path file) {
    try {
      Files.writeString(file, toYaml());
      try {
        Files.setPosixFilePermissions(
            file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Non-POSIX file systems keep their default permissions.
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the kubeconfig " + file, e);
    }
  }
}
