package dev.lifeline.kubernetesjava.internal;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watchable;
import java.util.Objects;

/** A {@link ListerWatcher} whose watches are {@link ResumingWatch resumed} when they break. */
public final class ResumingListerWatcher<T extends KubernetesObject, L extends KubernetesListObject>
    implements ListerWatcher<T, L> {
  private final ListerWatcher<T, L> delegate;
  private final ResumingWatch.Backoff backoff;

  public ResumingListerWatcher(ListerWatcher<T, L> delegate, ResumingWatch.Backoff backoff) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  @Override
  public L list(CallGeneratorParams params) throws ApiException {
    return delegate.list(params);
  }

  /**
   * Opens the watch; a connection that breaks while it opens (code 0) is retried once at once, on a
   * new connection, before the reflector sees the failure.
   */
  @Override
  public Watchable<T> watch(CallGeneratorParams params) throws ApiException {
    Watchable<T> first;
    try {
      first = delegate.watch(params);
    } catch (ApiException e) {
      if (e.getCode() != 0 || !ResumingWatch.brokenStream(e)) {
        throw e;
      }
      first = delegate.watch(params);
    }
    return new ResumingWatch<>(delegate, params, first, backoff);
  }

  @Override
  public String toString() {
    return "ResumingListerWatcher{" + delegate + "}";
  }
}
