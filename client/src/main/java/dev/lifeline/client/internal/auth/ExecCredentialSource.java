package dev.lifeline.client.internal.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lifeline.client.ExecConfig;
import dev.lifeline.client.KubeConfig;
import dev.lifeline.client.KubeConfigException;
import dev.lifeline.client.internal.config.PemReader;
import dev.lifeline.client.internal.json.Json;
import dev.lifeline.client.internal.json.Leaf;
import dev.lifeline.client.internal.tls.ClientIdentity;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Credentials from an exec plugin ({@code client.authentication.k8s.io/v1} or {@code v1beta1}), as
 * client-go runs them.
 *
 * <p>The plugin runs when credentials are first needed, again when the cached ones pass their
 * {@code expirationTimestamp}, and again after a 401 (unless another request already refreshed
 * them). One run at a time: concurrent requests wait for it, since an interactive plugin must not
 * prompt twice. The process gets the environment plus the configured variables and {@code
 * KUBERNETES_EXEC_INFO}, an {@code ExecCredential} whose spec says whether it is interactive and,
 * with {@code provideClusterInfo}, describes the cluster.
 *
 * <p>Interactivity follows {@code interactiveMode}: {@code Never} never connects standard input;
 * {@code IfAvailable} connects it when it is a terminal; {@code Always} fails when it is not. When
 * the plugin returns a new client certificate, {@code onIdentityChange} runs so that connections
 * made with the old one are closed.
 */
public final class ExecCredentialSource implements CredentialSource {
  private static final System.Logger LOG = System.getLogger(ExecCredentialSource.class.getName());
  private static final Duration NON_INTERACTIVE_TIMEOUT = Duration.ofMinutes(2);
  private static final String DOCS =
      "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins";

  private final ExecConfig exec;
  private final KubeConfig config;
  private final Clock clock;
  private final ExecPluginRunner runner;
  private final BooleanSupplier stdinIsTerminal;
  private final Runnable onIdentityChange;
  private final String field;

  private Credentials cached;
  private Instant expiry;

  /**
   * A source running {@code config.exec()}.
   *
   * @param stdinIsTerminal whether standard input is a terminal (decides interactivity)
   * @param onIdentityChange called when the plugin returns a different client certificate
   */
  public ExecCredentialSource(
      KubeConfig config,
      Clock clock,
      ExecPluginRunner runner,
      BooleanSupplier stdinIsTerminal,
      Runnable onIdentityChange) {
    this.exec = Objects.requireNonNull(config.exec(), "exec");
    this.config = config;
    this.clock = clock;
    this.runner = runner;
    this.stdinIsTerminal = stdinIsTerminal;
    this.onIdentityChange = onIdentityChange;
    this.field = config.userField() + ".exec";
  }

  @Override
  public synchronized Credentials current() {
    if (cached == null || (expiry != null && !clock.instant().isBefore(expiry))) {
      refresh();
    }
    return cached;
  }

  @Override
  public synchronized boolean refreshAfterUnauthorized(Credentials used) {
    if (cached != used) {
      return cached != null;
    }
    refresh();
    return true;
  }

  /** The client identity the plugin returned, or null (runs the plugin if needed). */
  public ClientIdentity identity() {
    return current().identity();
  }

  private void refresh() {
    boolean interactive;
    switch (exec.interactiveMode()) {
      case NEVER:
        interactive = false;
        break;
      case ALWAYS:
        if (!stdinIsTerminal.getAsBoolean()) {
          throw error(
              "interactiveMode is Always, but standard input is not a terminal; run it from a terminal, or"
                  + " set interactiveMode to IfAvailable or Never");
        }
        interactive = true;
        break;
      default:
        interactive = stdinIsTerminal.getAsBoolean();
    }
    Map<String, String> env = new LinkedHashMap<>(exec.env());
    env.put("KUBERNETES_EXEC_INFO", execInfo(interactive));
    ExecPluginRunner.Result result;
    try {
      result =
          runner.run(
              exec.command(),
              exec.args(),
              env,
              interactive,
              interactive ? null : NON_INTERACTIVE_TIMEOUT);
    } catch (IOException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      if (message.contains("error=2") || message.contains("No such file")) {
        throw error(
            "command \""
                + exec.command()
                + "\" not found; it is a client-go credential plugin that is not installed"
                + (exec.installHint() == null || exec.installHint().isBlank()
                    ? " (see " + DOCS + ")"
                    : ": " + oneLine(exec.installHint())),
            e);
      }
      throw error("cannot run \"" + exec.command() + "\": " + oneLine(message), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw error("interrupted while running \"" + exec.command() + "\"", e);
    }
    if (result.exitCode() != 0) {
      String stderr = oneLine(result.stderr());
      throw error(
          "command \""
              + exec.command()
              + "\" exited with status "
              + result.exitCode()
              + (stderr.isEmpty() ? "" : ": " + stderr));
    }
    Credentials previous = cached;
    parse(result.stdout());
    if (previous != null && !Objects.equals(identityOf(previous), identityOf(cached))) {
      onIdentityChange.run();
    }
  }

  private static Object identityOf(Credentials c) {
    return c.identity() == null ? null : c.identity().chain();
  }

  private void parse(byte[] stdout) {
    String apiVersion = null;
    String kind = null;
    String token = null;
    String certificate = null;
    String key = null;
    Instant expiration = null;
    boolean hasStatus = false;
    try (JsonParser p = Json.parser(stdout)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("expected a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "apiVersion":
            apiVersion = p.getValueAsString();
            break;
          case "kind":
            kind = p.getValueAsString();
            break;
          case "status":
            if (p.currentToken() != JsonToken.START_OBJECT) {
              p.skipChildren();
              break;
            }
            hasStatus = true;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String s = p.currentName();
              p.nextToken();
              switch (s) {
                case "token":
                  token = p.getValueAsString();
                  break;
                case "clientCertificateData":
                  certificate = p.getValueAsString();
                  break;
                case "clientKeyData":
                  key = p.getValueAsString();
                  break;
                case "expirationTimestamp":
                  String t = p.getValueAsString();
                  expiration = t == null || t.isEmpty() ? null : Leaf.parseTime(t);
                  break;
                default:
                  p.skipChildren();
              }
            }
            break;
          default:
            p.skipChildren();
        }
      }
    } catch (IOException | java.time.format.DateTimeParseException e) {
      throw error(
          "command \""
              + exec.command()
              + "\" printed invalid ExecCredential JSON: "
              + oneLine(e.getMessage()),
          e);
    }
    if (!exec.apiVersion().equals(apiVersion)) {
      throw error(
          "command \""
              + exec.command()
              + "\" returned apiVersion \""
              + apiVersion
              + "\", but the kubeconfig asks for "
              + exec.apiVersion());
    }
    if (kind != null && !kind.equals("ExecCredential")) {
      throw error(
          "command \"" + exec.command() + "\" returned kind \"" + kind + "\", not ExecCredential");
    }
    if (!hasStatus) {
      throw error("command \"" + exec.command() + "\" returned no status");
    }
    boolean hasCertificate = certificate != null && !certificate.isEmpty();
    boolean hasKey = key != null && !key.isEmpty();
    if (hasCertificate != hasKey) {
      throw error(
          "command \""
              + exec.command()
              + "\" returned a client certificate without its key, or a key without its"
              + " certificate");
    }
    if ((token == null || token.isEmpty()) && !hasCertificate) {
      throw error(
          "command \"" + exec.command() + "\" returned neither a token nor a client certificate");
    }
    ClientIdentity identity = null;
    if (hasCertificate) {
      try {
        identity =
            new ClientIdentity(
                PemReader.certificates(certificate.getBytes(StandardCharsets.UTF_8)),
                PemReader.privateKey(key.getBytes(StandardCharsets.UTF_8)));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw error(
            "command \""
                + exec.command()
                + "\" returned an unusable client certificate or key: "
                + e.getMessage(),
            e);
      }
    }
    cached = new Credentials(token == null || token.isEmpty() ? null : token, identity);
    expiry = expiration;
    LOG.log(
        Level.DEBUG,
        "exec plugin {0} returned credentials{1}",
        exec.command(),
        expiration == null ? "" : " valid until " + expiration);
  }

  private String execInfo(boolean interactive) {
    byte[] json =
        Json.write(
            out -> {
              out.begin(exec.apiVersion(), "ExecCredential").start("spec");
              out.bool("interactive", interactive);
              if (exec.provideClusterInfo()) {
                out.start("cluster")
                    .string("server", config.server().toString())
                    .string("tls-server-name", config.tlsServerName());
                if (config.isInsecureSkipTlsVerify()) {
                  out.bool("insecure-skip-tls-verify", true);
                }
                if (!config.certificateAuthorities().isEmpty()) {
                  out.string("certificate-authority-data", caData());
                }
                out.string(
                    "proxy-url", config.proxyUrl() == null ? null : config.proxyUrl().toString());
                if (config.isDisableCompression()) {
                  out.bool("disable-compression", true);
                }
                if (config.execClusterConfig() != null) {
                  out.tree("config", config.execClusterConfig());
                }
                out.end();
              }
              out.end().end();
            });
    return new String(json, StandardCharsets.UTF_8);
  }

  private String caData() {
    StringBuilder pem = new StringBuilder();
    Base64.Encoder lines = Base64.getMimeEncoder(64, new byte[] {'\n'});
    for (X509Certificate ca : config.certificateAuthorities()) {
      try {
        pem.append("-----BEGIN CERTIFICATE-----\n")
            .append(lines.encodeToString(ca.getEncoded()))
            .append("\n-----END CERTIFICATE-----\n");
      } catch (CertificateEncodingException e) {
        throw error("cannot encode the cluster's CA for the plugin: " + e.getMessage(), e);
      }
    }
    return Base64.getEncoder().encodeToString(pem.toString().getBytes(StandardCharsets.US_ASCII));
  }

  private KubeConfigException error(String problem) {
    return new KubeConfigException(config.source(), field, problem);
  }

  private KubeConfigException error(String problem, Throwable cause) {
    return new KubeConfigException(config.source(), field, problem, cause);
  }

  /** A message on one line, shortened. */
  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " | ");
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }

  @Override
  public String toString() {
    return "Exec[" + exec.command() + "]";
  }
}
