package dev.lifeline.client.internal.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import javax.net.SocketFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sockets for an {@code https://} proxy: TLS to the proxy, verified against the proxy's host name,
 * inside which OkHttp sends its CONNECT and then the TLS to the API server. OkHttp only creates
 * unconnected sockets through this factory and connects them itself.
 */
final class TlsProxySocketFactory extends SocketFactory {
  private final SSLSocketFactory tls;
  private final String proxyHost;

  TlsProxySocketFactory(SSLSocketFactory tls, String proxyHost) {
    this.tls = tls;
    this.proxyHost = proxyHost;
  }

  @Override
  public Socket createSocket() throws IOException {
    SSLSocket socket = (SSLSocket) tls.createSocket();
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (!proxyHost.matches("[0-9.]+") && !proxyHost.contains(":")) {
      parameters.setServerNames(List.of(new SNIHostName(proxyHost)));
    }
    socket.setSSLParameters(parameters);
    return socket;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    throw unsupported();
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    throw unsupported();
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    throw unsupported();
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    throw unsupported();
  }

  private static IOException unsupported() {
    return new IOException("the https proxy socket factory only creates unconnected sockets");
  }
}
