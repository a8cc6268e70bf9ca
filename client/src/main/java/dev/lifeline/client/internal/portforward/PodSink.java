package dev.lifeline.client.internal.portforward;

import dev.lifeline.client.PortForwardException;
import java.io.IOException;

/** Where the bytes from the pod go. Called on the WebSocket's reader thread, in order. */
interface PodSink {
  /**
   * Bytes from the pod. May block, which holds back the WebSocket (and so the pod): the flow
   * control of a port-forward.
   *
   * @throws IOException when the bytes cannot be taken any more (the local side closed): the
   *     forward is closed
   */
  void data(byte[] bytes, int offset, int length) throws IOException;

  /**
   * The forward ended: cleanly (the pod or this side closed it) when {@code failure} is null.
   * Called once.
   */
  void ended(PortForwardException failure);
}
