package dev.lifeline.testkit;

/** What the fake does with requests that carry no credentials. */
public enum AnonymousAccess {
  /**
   * Anonymous requests are allowed only on {@code /healthz}, {@code /livez}, {@code /readyz} and
   * {@code /version} (what {@code system:public-info-viewer} grants, with anonymous authentication
   * limited to those paths); everywhere else they get 401 Unauthorized. The default.
   */
  HEALTH_AND_VERSION_ONLY,
  /**
   * {@code --anonymous-auth=true}: every request without credentials is {@code system:anonymous};
   * protected paths answer 403 Forbidden unless a rule allows the user {@code system:anonymous}.
   */
  ENABLED,
  /**
   * {@code --anonymous-auth=false}: every request without credentials gets 401, health endpoints
   * included.
   */
  DISABLED
}
