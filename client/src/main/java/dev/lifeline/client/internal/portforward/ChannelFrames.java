package dev.lifeline.client.internal.portforward;

import dev.lifeline.client.PortForwardException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code v4.channel.k8s.io} framing of one forwarded port: every binary message starts with its
 * channel (0 for data, 1 for errors, as the port is the request's first and only one); the first
 * two bytes the server sends on each channel are the port, little-endian, before anything else.
 * Bytes to the pod go on channel 0 without a header.
 *
 * <p>Decodes the messages of one WebSocket in order; not thread-safe (OkHttp delivers a WebSocket's
 * messages on one thread).
 */
final class ChannelFrames {
  static final int DATA = 0;
  static final int ERROR = 1;

  /** What the decoded messages carry. */
  interface Receiver {
    /** Bytes from the pod. */
    void data(byte[] bytes, int offset, int length) throws IOException;

    /** Text the server wrote on the error channel. */
    void error(String text);
  }

  private final String target;
  private final int port;
  private final int[] headerLeft = {2, 2};
  private final int[] headerValue = {0, 0};

  /**
   * @param target for messages, e.g. {@code kube-system/coredns-1 port 53}
   */
  ChannelFrames(String target, int port) {
    this.target = target;
    this.port = port;
  }

  /** A message carrying bytes to the pod. */
  static byte[] dataMessage(byte[] bytes, int offset, int length) {
    byte[] message = new byte[length + 1];
    message[0] = DATA;
    System.arraycopy(bytes, offset, message, 1, length);
    return message;
  }

  /** Whether both channels' port headers have arrived. */
  boolean isOpen() {
    return headerLeft[DATA] == 0 && headerLeft[ERROR] == 0;
  }

  /**
   * Decodes one message.
   *
   * @throws PortForwardException for a channel other than 0 and 1, or a port header naming another
   *     port
   * @throws IOException when the receiver fails
   */
  void decode(byte[] message, Receiver receiver) throws IOException {
    if (message.length == 0) {
      return;
    }
    int channel = message[0] & 0xff;
    if (channel != DATA && channel != ERROR) {
      throw new PortForwardException(
          "port-forward to "
              + target
              + ": the server wrote on channel "
              + channel
              + ", but one port has only channels 0 and 1");
    }
    int offset = 1;
    while (headerLeft[channel] > 0 && offset < message.length) {
      int shift = 8 * (2 - headerLeft[channel]);
      headerValue[channel] |= (message[offset] & 0xff) << shift;
      headerLeft[channel]--;
      offset++;
      if (headerLeft[channel] == 0 && headerValue[channel] != port) {
        throw new PortForwardException(
            "port-forward to "
                + target
                + ": the server named port "
                + headerValue[channel]
                + " on channel "
                + channel
                + ", not "
                + port);
      }
    }
    int length = message.length - offset;
    if (length == 0) {
      return;
    }
    if (channel == DATA) {
      receiver.data(message, offset, length);
    } else {
      receiver.error(new String(message, offset, length, StandardCharsets.UTF_8));
    }
  }
}
