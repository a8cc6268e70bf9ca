package dev.lifeline.testkit;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;

/** fabric8 7 with its default backend, Vert.x, against the fake control plane. */
class Fabric8VertxIT extends Fabric8ClientContract {
  @Override
  HttpClient.Factory backend() {
    return new VertxHttpClientFactory();
  }

  @Override
  String namespace() {
    return "fabric8-vertx";
  }
}
