package dev.lifeline.client.internal.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Creates TLS sockets that send a fixed server name (SNI) whatever host they are created for, so
 * that connecting to an endpoint by IP (a failover dialer, {@code tls-server-name}) still presents
 * the name the server's certificate is issued for.
 */
public final class ServerNameSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;
  private final String serverName;

  /** Wraps {@code delegate}; {@code serverName} null keeps the host each socket is created for. */
  public ServerNameSocketFactory(SSLSocketFactory delegate, String serverName) {
    this.delegate = delegate;
    this.serverName =
        serverName == null || ServerNameVerifier.ipLiteral(strip(serverName)) != null
            ? null
            : serverName;
  }

  private static String strip(String name) {
    return name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose)
      throws IOException {
    return named(
        delegate.createSocket(socket, serverName != null ? serverName : host, port, autoClose));
  }

  @Override
  public Socket createSocket() throws IOException {
    return named(delegate.createSocket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return named(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return named(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return named(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return named(delegate.createSocket(address, port, localAddress, localPort));
  }

  private Socket named(Socket socket) {
    if (serverName != null && socket instanceof SSLSocket) {
      SSLSocket ssl = (SSLSocket) socket;
      SSLParameters parameters = ssl.getSSLParameters();
      parameters.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(serverName)));
      ssl.setSSLParameters(parameters);
    }
    return socket;
  }
}
