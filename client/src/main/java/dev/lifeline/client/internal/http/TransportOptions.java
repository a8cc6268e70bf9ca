package dev.lifeline.client.internal.http;

import java.time.Duration;
import javax.net.SocketFactory;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

/**
 * What shapes the transport besides the configuration: the failover hooks, timeouts, pings, user
 * agent, and a client whose connection pool and dispatcher to share.
 *
 * @param dns resolves the server's host name, or null for the system resolver
 * @param socketFactory creates the TCP sockets, or null for the default
 * @param pingInterval HTTP/2 ping interval (zero: no pings)
 * @param connectTimeout TCP and TLS connect timeout
 * @param readTimeout read timeout of ordinary requests (watches and followed logs have none)
 * @param userAgent the user agent
 * @param shared a client whose pool and dispatcher to share, or null
 */
public record TransportOptions(
    Dns dns,
    SocketFactory socketFactory,
    Duration pingInterval,
    Duration connectTimeout,
    Duration readTimeout,
    String userAgent,
    OkHttpClient shared) {}
