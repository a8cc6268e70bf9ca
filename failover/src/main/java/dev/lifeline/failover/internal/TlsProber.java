package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;

/** The real probes: TLS on the endpoint's address, verified against the configured server name. */
final class TlsProber implements Prober {
  private static final int READYZ_TIMEOUT_MILLIS = 5_000;
  private static final int BODY_EXCERPT = 300;

  private final FailoverConfig config;
  private final TlsConnector connector;
  private final Executor readers;

  TlsProber(FailoverConfig config, Executor readers) {
    this.config = config;
    this.connector = new TlsConnector(config);
    this.readers = readers;
  }

  @Override
  public PingChannel openPingChannel(Endpoint endpoint, PingChannel.Listener listener)
      throws IOException {
    TlsConnector.Connection connection =
        // Offer HTTP/1.1 too: a server without h2 then completes the handshake (instead of a
        // no_application_protocol alert) and the engine can tell "no HTTP/2" from "broken".
        connector.connect(endpoint, List.of("h2", "http/1.1"), connector.connectTimeoutMillis());
    return Http2PingChannel.start(connection, listener, readers);
  }

  @Override
  public ConnectCheck startConnect(Endpoint endpoint) throws IOException {
    return TcpConnectCheck.start(endpoint);
  }

  @Override
  public long handshake(Endpoint endpoint) throws IOException {
    TlsConnector.Connection connection =
        connector.connect(endpoint, List.of("h2", "http/1.1"), connector.connectTimeoutMillis());
    connection.socket().close();
    return connection.connectNanos();
  }

  @Override
  public Readyz readyz(Endpoint endpoint) throws IOException {
    TlsConnector.Connection connection =
        connector.connect(endpoint, List.of("http/1.1"), connector.connectTimeoutMillis());
    try (SSLSocket socket = connection.socket()) {
      socket.setSoTimeout(READYZ_TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(request().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String statusLine = in.readLine();
      if (statusLine == null) {
        throw new ProtocolException("/readyz: the connection closed before a status line");
      }
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new ProtocolException("/readyz: not an HTTP/1.1 status line: " + excerpt(statusLine));
      }
      int status;
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new ProtocolException("/readyz: bad status in " + excerpt(statusLine));
      }
      long contentLength = -1;
      boolean chunked = false;
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
          contentLength = parseLength(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
          chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
        }
      }
      if (chunked) {
        String size = in.readLine();
        contentLength = size == null ? 0 : parseLength(size.split(";", 2)[0].trim(), 16);
      }
      int limit = contentLength < 0 ? BODY_EXCERPT : (int) Math.min(BODY_EXCERPT, contentLength);
      char[] body = new char[limit];
      int read = 0;
      int n;
      while (read < body.length && (n = in.read(body, read, body.length - read)) > 0) {
        read += n;
      }
      return new Readyz(status, new String(body, 0, read).strip());
    }
  }

  private String request() {
    String path = config.server().getRawPath();
    if (path == null || path.equals("/")) {
      path = "";
    } else if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String host = config.host().indexOf(':') >= 0 ? "[" + config.host() + "]" : config.host();
    StringBuilder request = new StringBuilder();
    request
        .append("GET ")
        .append(path)
        .append("/readyz HTTP/1.1\r\n")
        .append("Host: ")
        .append(host)
        .append(config.port() == 443 ? "" : ":" + config.port())
        .append("\r\nUser-Agent: lifeline-failover\r\nAccept: text/plain\r\n");
    config
        .readyzAuthorization()
        .map(Supplier::get)
        .filter(value -> !value.isBlank())
        .ifPresent(value -> request.append("Authorization: ").append(value).append("\r\n"));
    request.append("Connection: close\r\n\r\n");
    return request.toString();
  }

  private static long parseLength(String value) throws ProtocolException {
    return parseLength(value, 10);
  }

  private static long parseLength(String value, int radix) throws ProtocolException {
    try {
      long length = Long.parseLong(value, radix);
      if (length < 0) {
        throw new ProtocolException("/readyz: negative body length " + value);
      }
      return length;
    } catch (NumberFormatException e) {
      throw new ProtocolException("/readyz: bad body length " + excerpt(value));
    }
  }

  private static String excerpt(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }
}
