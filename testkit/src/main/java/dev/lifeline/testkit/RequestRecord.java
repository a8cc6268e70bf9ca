package dev.lifeline.testkit;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

/**
 * One request an instance answered (for watches: when the stream started).
 *
 * @param time when the request arrived
 * @param method the HTTP method
 * @param pathAndQuery the request target, for example {@code /api/v1/pods?watch=true}
 * @param user the authenticated user, {@code system:anonymous}, or empty when authentication failed
 * @param userAgent the {@code User-Agent} header, empty when absent
 * @param status the HTTP status answered
 * @param protocol {@code h2} or {@code http/1.1}
 * @param remote the client's address and port
 * @param duration time from arrival to the response headers
 */
public record RequestRecord(
    Instant time,
    String method,
    String pathAndQuery,
    String user,
    String userAgent,
    int status,
    String protocol,
    InetSocketAddress remote,
    Duration duration) {}
