package dev.lifeline.testkit;

/** Whether the fake serves streaming lists ({@code sendInitialEvents}, KEP-3157). */
public enum WatchListSupport {
  /**
   * The {@code WatchList} feature is on: {@code sendInitialEvents=true} streams the state then a
   * bookmark.
   */
  ENABLED,
  /**
   * A server with the {@code WatchList} feature gate off (1.27 and later): a watch with {@code
   * sendInitialEvents} is rejected with 422 Invalid ("sendInitialEvents is forbidden for watch
   * unless the WatchList feature gate is enabled").
   */
  DISABLED,
  /**
   * A server older than 1.27 that does not know the parameters: {@code sendInitialEvents} and
   * {@code resourceVersionMatch} are ignored on watches, so the client gets an ordinary watch
   * without the initial-events-end bookmark.
   */
  UNKNOWN_TO_SERVER
}
