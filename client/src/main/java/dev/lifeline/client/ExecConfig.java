package dev.lifeline.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An exec credential plugin ({@code users[].user.exec} of a kubeconfig): a command that prints an
 * {@code ExecCredential} with a token or a client certificate, such as {@code kubelogin}, {@code
 * gke-gcloud-auth-plugin} or {@code aws eks get-token}.
 *
 * @param command the command (a path, or a name looked up on {@code PATH})
 * @param args its arguments
 * @param env extra environment variables, added to the process's own
 * @param apiVersion {@code client.authentication.k8s.io/v1} or {@code
 *     client.authentication.k8s.io/v1beta1}
 * @param installHint shown when the command is not found
 * @param interactiveMode whether the plugin may read standard input
 * @param provideClusterInfo whether to pass the cluster in {@code KUBERNETES_EXEC_INFO}
 */
public record ExecConfig(
    String command,
    List<String> args,
    Map<String, String> env,
    String apiVersion,
    String installHint,
    InteractiveMode interactiveMode,
    boolean provideClusterInfo) {

  /** The v1 API version. */
  public static final String V1 = "client.authentication.k8s.io/v1";

  /** The v1beta1 API version. */
  public static final String V1BETA1 = "client.authentication.k8s.io/v1beta1";

  /** Checks and copies. */
  public ExecConfig {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("exec command: required");
    }
    if (!V1.equals(apiVersion) && !V1BETA1.equals(apiVersion)) {
      throw new IllegalArgumentException(
          "exec apiVersion: expected " + V1 + " or " + V1BETA1 + ", got '" + apiVersion + "'");
    }
    args = args == null ? List.of() : List.copyOf(args);
    env =
        env == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    interactiveMode = Objects.requireNonNull(interactiveMode, "exec interactiveMode");
  }

  /** Names the environment variables but never shows their values, which may be credentials. */
  @Override
  public String toString() {
    return "ExecConfig[command="
        + command
        + ", args="
        + args
        + ", env="
        + env.keySet()
        + ", apiVersion="
        + apiVersion
        + ", interactiveMode="
        + interactiveMode
        + ", provideClusterInfo="
        + provideClusterInfo
        + "]";
  }

  /** Whether an exec plugin may read standard input, as in client-go. */
  public enum InteractiveMode {
    /** Never: standard input is not connected. */
    NEVER("Never"),
    /** When standard input is a terminal. */
    IF_AVAILABLE("IfAvailable"),
    /** Required: fails when standard input is not a terminal. */
    ALWAYS("Always");

    private final String value;

    InteractiveMode(String value) {
      this.value = value;
    }

    /** The kubeconfig value. */
    public String value() {
      return value;
    }

    /** The mode with this kubeconfig value, or null. */
    public static InteractiveMode of(String value) {
      for (InteractiveMode m : values()) {
        if (m.value.equals(value)) {
          return m;
        }
      }
      return null;
    }
  }
}
