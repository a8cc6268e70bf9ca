package dev.lifeline.client.internal.auth;

import dev.lifeline.client.KubeConfig;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Adds the user agent, impersonation headers and bearer token to every request, and after a 401
 * refreshes the credentials (re-reads the token file, re-runs the exec plugin) and retries once
 * when they changed.
 */
public final class AuthInterceptor implements Interceptor {
  private final CredentialSource credentials;
  private final Impersonation impersonation;
  private final String userAgent;
  private final boolean disableCompression;

  /** Authenticates with {@code credentials} as configured by {@code config}. */
  public AuthInterceptor(CredentialSource credentials, KubeConfig config, String userAgent) {
    this.credentials = credentials;
    this.impersonation = new Impersonation(config);
    this.userAgent = userAgent;
    this.disableCompression = config.isDisableCompression();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Credentials used = credentials.current();
    Response response = chain.proceed(authenticate(request, used));
    if (response.code() == 401 && credentials.refreshAfterUnauthorized(used)) {
      Credentials fresh = credentials.current();
      if (fresh != used) {
        response.close();
        return chain.proceed(authenticate(request, fresh));
      }
    }
    return response;
  }

  private Request authenticate(Request request, Credentials c) {
    Request.Builder b = request.newBuilder();
    if (request.header("User-Agent") == null) {
      b.header("User-Agent", userAgent);
    }
    if (disableCompression && request.header("Accept-Encoding") == null) {
      b.header("Accept-Encoding", "identity");
    }
    impersonation.apply(b);
    if (c.token() != null && request.header("Authorization") == null) {
      b.header("Authorization", "Bearer " + c.token());
    }
    return b.build();
  }
}
