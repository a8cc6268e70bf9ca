package dev.lifeline.fabric8.internal;

import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.okhttp.LifelineOkHttp;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import okhttp3.OkHttpClient;

/**
 * fabric8's OkHttp backend with the engine's sockets and resolver (loaded only for that backend).
 */
final class EngineOkHttpClientFactory extends OkHttpClientFactory {
  private final FailoverEngine engine;

  EngineOkHttpClientFactory(FailoverEngine engine) {
    this.engine = engine;
  }

  @Override
  protected void additionalConfig(OkHttpClient.Builder builder) {
    LifelineOkHttp.configure(builder, engine);
  }
}
