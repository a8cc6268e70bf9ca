package dev.lifeline.kubernetesjava.internal;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.CallGenerator;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.OkHttpClient;

/**
 * The {@link ListerWatcher} kubernetes-client/java's {@code SharedInformerFactory} builds from a
 * {@link CallGenerator}: lists through the {@link ApiClient}, watches on its OkHttp client without
 * a read timeout (a quiet watch is not a dead one; the engine and HTTP/2 pings find dead ones).
 */
public final class CallListerWatcher<T extends KubernetesObject, L extends KubernetesListObject>
    implements ListerWatcher<T, L> {
  private final ApiClient client;
  private final CallGenerator calls;
  private final Class<L> listType;
  private final Type watchType;

  public CallListerWatcher(
      ApiClient client, CallGenerator calls, Class<T> type, Class<L> listType) {
    this.client = Objects.requireNonNull(client, "client");
    this.calls = Objects.requireNonNull(calls, "calls");
    this.listType = Objects.requireNonNull(listType, "listType");
    this.watchType = TypeToken.getParameterized(Watch.Response.class, type).getType();
  }

  @Override
  public L list(CallGeneratorParams params) throws ApiException {
    return client.<L>execute(calls.generate(params), listType).getData();
  }

  @Override
  public Watchable<T> watch(CallGeneratorParams params) throws ApiException {
    Call call = calls.generate(params);
    return Watch.createWatch(client, watchClient().newCall(call.request()), watchType);
  }

  /** The client's OkHttp client (as it is now) without a read timeout; shares its pool. */
  private OkHttpClient watchClient() {
    OkHttpClient base = client.getHttpClient();
    return base.readTimeoutMillis() == 0
        ? base
        : base.newBuilder().readTimeout(Duration.ZERO).build();
  }
}
