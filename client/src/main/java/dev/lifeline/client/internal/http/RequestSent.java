package dev.lifeline.client.internal.http;

import okhttp3.Call;
import okhttp3.EventListener;

/**
 * Records whether a call got as far as sending its request, so that a failure before that point can
 * be retried for any verb (the server cannot have acted on a request it never received). Attached
 * to a request as a tag.
 */
public final class RequestSent {
  private volatile boolean sent;

  /** Whether the request's headers started going out. */
  public boolean isSent() {
    return sent;
  }

  /** The listener factory that marks the tag of each call. */
  public static final EventListener.Factory FACTORY =
      call -> {
        RequestSent tag = call.request().tag(RequestSent.class);
        if (tag == null) {
          return EventListener.NONE;
        }
        return new EventListener() {
          @Override
          public void requestHeadersStart(Call c) {
            tag.sent = true;
          }
        };
      };
}
