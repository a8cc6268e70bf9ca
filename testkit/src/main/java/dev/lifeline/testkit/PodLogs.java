package dev.lifeline.testkit;

import java.time.Instant;
import java.util.List;

/**
 * The containers' logs that {@code GET .../pods/{name}/log} serves, written by tests in place of a
 * container runtime. Lines are kept per pod (by uid, so a pod recreated under the same name starts
 * with empty logs) and container; deleting the pod deletes its logs and ends every followed stream.
 *
 * <p>Thread-safe.
 */
public interface PodLogs {
  /**
   * Appends lines to a container's current log, stamped with the control plane's clock. Followers
   * of the log get them at once.
   *
   * @param lines the lines, without line terminators
   * @throws IllegalArgumentException when the pod does not exist, the container is not one of its
   *     containers, init containers or ephemeral containers, or a line contains a line terminator
   */
  void append(String namespace, String pod, String container, String... lines);

  /**
   * Appends one line with its own timestamp (for {@code sinceSeconds}, {@code sinceTime} and {@code
   * timestamps} tests); the time must not be before the log's last line.
   *
   * @throws IllegalArgumentException as {@link #append(String, String, String, String...)}, or when
   *     the time goes backwards
   */
  void append(String namespace, String pod, String container, Instant time, String line);

  /**
   * Restarts a container: its current log becomes the previous one (served with {@code
   * previous=true}), followed streams of it end, and a new, empty log begins.
   *
   * @throws IllegalArgumentException when the pod or container does not exist
   */
  void restartContainer(String namespace, String pod, String container);

  /**
   * The lines of a container's current log, oldest first.
   *
   * @throws IllegalArgumentException when the pod or container does not exist
   */
  List<String> lines(String namespace, String pod, String container);
}
