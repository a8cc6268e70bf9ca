package dev.lifeline.client.internal;

import dev.lifeline.client.KubeClient;
import dev.lifeline.client.KubeConfig;
import java.time.Clock;
import java.time.Duration;
import javax.net.SocketFactory;
import okhttp3.Dns;

/** The settings of {@link KubeClient.Builder}, checked. */
public record ClientSettings(
    KubeConfig config,
    Dns dns,
    SocketFactory socketFactory,
    Duration pingInterval,
    Duration connectTimeout,
    Duration readTimeout,
    String userAgent,
    KubeClient shareWith,
    int maxRetries,
    Duration retryBudget,
    Clock clock) {}
