package dev.lifeline.client;

/**
 * A request to the Kubernetes API could not be completed: the connection failed, the credentials
 * could not be obtained, or (as {@link KubeApiException}) the server answered with an error. The
 * message names the request (verb and path); earlier failed attempts are attached with {@link
 * #addSuppressed}.
 */
public class KubeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with a message. */
  public KubeException(String message) {
    super(message);
  }

  /** An error with a message and a cause. */
  public KubeException(String message, Throwable cause) {
    super(message, cause);
  }
}
