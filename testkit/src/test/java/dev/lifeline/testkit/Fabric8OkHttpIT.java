package dev.lifeline.testkit;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;

/** fabric8 7 with its OkHttp backend against the fake control plane. */
class Fabric8OkHttpIT extends Fabric8ClientContract {
  @Override
  HttpClient.Factory backend() {
    return new OkHttpClientFactory();
  }

  @Override
  String namespace() {
    return "fabric8-okhttp";
  }
}
