package dev.lifeline.testkit.internal.server;

import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * What serves a WebSocket once the handshake is done (other than a watch): gets the client's frames
 * (pings are answered before), the channel's writability and its end. Called on the channel's event
 * loop; frames are released after the call, so a peer that keeps content retains it.
 */
interface WebSocketPeer {
  /** A data or close frame from the client. */
  void frame(WebSocketFrame frame);

  /** The channel's writability changed. */
  void writabilityChanged(boolean writable);

  /** The connection closed. */
  void closed();
}
