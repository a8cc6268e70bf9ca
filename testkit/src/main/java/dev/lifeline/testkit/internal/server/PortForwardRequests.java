package dev.lifeline.testkit.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.testkit.internal.api.Statuses;
import dev.lifeline.testkit.internal.store.ObjectStore;
import dev.lifeline.testkit.internal.store.StoredObject;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pods/{name}/portforward} over WebSocket, as the apiserver proxies it to the kubelet: the
 * {@code v4.channel.k8s.io} (binary) and {@code v4.base64.channel.k8s.io} channel protocols, which
 * kubernetes-client/java's {@code PortForward} and fabric8's {@code portForward} speak. For each
 * port in {@code ports} (repeated or comma-separated) a data channel {@code 2i} and an error
 * channel {@code 2i+1}, the first frame of each carrying the port (2 bytes, little-endian); the
 * fake then connects to the pod's {@code status.podIP} at that port over TCP. SPDY (kubectl) is not
 * served.
 */
final class PortForwardRequests {
  static final String PROTOCOLS = "v4.channel.k8s.io,v4.base64.channel.k8s.io";
  private static final int MAX_FRAME = 1 << 20;

  private final ObjectStore store;

  PortForwardRequests(ObjectStore store) {
    this.store = store;
  }

  void open(Exchange ex, RequestDispatcher dispatcher, ApiPath path) {
    StoredObject pod =
        store
            .get(path.type(), path.namespace(), path.name())
            .orElseThrow(() -> Statuses.notFound("", "pods", path.name()));
    JsonNode tree = pod.toTree();
    String podIp = tree.path("status").path("podIP").asText("");
    if (podIp.isEmpty()) {
      throw Statuses.badRequest(
          tree.path("spec").path("nodeName").asText("").isEmpty()
              ? "pod " + path.name() + " does not have a host assigned"
              : "pod " + path.name() + " has no IP address to forward to (status.podIP is empty)");
    }
    List<Integer> ports = ports(ex);
    String upgrade = ex.header(HttpHeaderNames.UPGRADE);
    if (ex.http2 || upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
      throw Statuses.badRequest(
          upgrade != null && upgrade.toUpperCase(java.util.Locale.ROOT).startsWith("SPDY")
              ? "unable to upgrade connection: SPDY is not served by the Lifeline fake control"
                  + " plane; use a WebSocket client (v4.channel.k8s.io)"
              : "Upgrade request required");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(podIp);
    } catch (UnknownHostException e) {
      throw Statuses.badRequest("pod " + path.name() + " has an invalid IP " + podIp);
    }
    String url = "wss://" + ex.header(HttpHeaderNames.HOST) + ex.request.uri();
    WebSocketServerHandshaker hs =
        new WebSocketServerHandshakerFactory(url, PROTOCOLS, false, MAX_FRAME)
            .newHandshaker(ex.request);
    if (hs == null) {
      throw Statuses.badRequest("unsupported WebSocket version");
    }
    ChannelPipeline p = ex.ctx.pipeline();
    if (p.get(HttpServerKeepAliveHandler.class) != null) {
      p.remove(HttpServerKeepAliveHandler.class);
    }
    ex.streamStarted(
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS));
    List<InetSocketAddress> targets = new ArrayList<>();
    for (int port : ports) {
      targets.add(new InetSocketAddress(address, port));
    }
    PortForwardSession session =
        new PortForwardSession(ex.ctx.channel(), path.name(), pod.uid(), targets);
    dispatcher.webSocketOpened(session);
    hs.handshake(ex.ctx.channel(), ex.request)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                session.start(hs.selectedSubprotocol());
              } else {
                ex.ctx.close();
              }
            });
  }

  /** The ports, validated as the kubelet validates them. */
  private static List<Integer> ports(Exchange ex) {
    List<String> values = ex.query.getOrDefault("ports", List.of());
    if (values.isEmpty()) {
      throw Statuses.badRequest("query parameter \"port\" is required");
    }
    List<Integer> ports = new ArrayList<>();
    for (String value : values) {
      if (value.isEmpty()) {
        throw Statuses.badRequest("query parameter \"port\" cannot be empty");
      }
      for (String p : value.split(",")) {
        int port;
        try {
          port = Integer.parseInt(p);
        } catch (NumberFormatException e) {
          throw Statuses.badRequest(
              "unable to parse \""
                  + value
                  + "\" as a port: strconv.ParseUint: parsing \""
                  + p
                  + "\": invalid syntax");
        }
        if (port < 1 || port > 65535) {
          throw Statuses.badRequest("port \"" + value + "\" must be > 0 and < 65536");
        }
        ports.add(port);
      }
    }
    return ports;
  }
}
