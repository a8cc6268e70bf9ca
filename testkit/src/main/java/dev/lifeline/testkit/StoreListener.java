package dev.lifeline.testkit;

/**
 * Receives every change of the fake store, in commit order, on one dedicated thread ({@code
 * lifeline-testkit-store-events}). A listener that throws is logged and keeps receiving.
 */
@FunctionalInterface
public interface StoreListener {
  /** A change was committed. */
  void onEvent(StoreEvent event);
}
