package dev.lifeline.client;

/**
 * The Kubernetes configuration is missing or wrong: unreadable or malformed kubeconfig, unknown
 * context, cluster or user, an unreadable key or certificate, an exec credential plugin that
 * failed.
 *
 * <p>The message is one line that names the file and the field, e.g. {@code ~/.kube/config:
 * users[alice].client-key: cannot read /x/key.pem (No such file or directory)}, fit to print as is;
 * there is no need to show a stack trace.
 */
public class KubeConfigException extends KubeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String field;

  /**
   * An error about {@code field} of {@code source}.
   *
   * @param source the file (or "in-cluster configuration", or "configuration") the problem is in
   * @param field the field, e.g. {@code users[alice].client-key}, or null when the problem is the
   *     whole source
   * @param problem what is wrong, and what to do when that is not obvious
   */
  public KubeConfigException(String source, String field, String problem) {
    super(format(source, field, problem));
    this.source = source;
    this.field = field;
  }

  /** The same with the exception that caused it. */
  public KubeConfigException(String source, String field, String problem, Throwable cause) {
    super(format(source, field, problem), cause);
    this.source = source;
    this.field = field;
  }

  /** The file or source the problem is in. */
  public String source() {
    return source;
  }

  /** The field the problem is in, or null. */
  public String field() {
    return field;
  }

  private static String format(String source, String field, String problem) {
    String line = source + ": " + (field == null ? "" : field + ": ") + problem;
    return line.replace('\n', ' ').replace('\r', ' ');
  }
}
