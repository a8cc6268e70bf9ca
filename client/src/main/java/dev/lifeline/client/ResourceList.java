package dev.lifeline.client;

import java.util.List;

/**
 * The result of a list.
 *
 * @param items the objects
 * @param resourceVersion the collection's resource version: watch from it to see every later change
 * @param continueToken the token of the next page, or null on the last page
 * @param remainingItemCount how many items the next pages hold, when the server says
 * @param <T> the model
 */
public record ResourceList<T>(
    List<T> items, String resourceVersion, String continueToken, Long remainingItemCount) {
  /** Copies. */
  public ResourceList {
    items = items == null ? List.of() : List.copyOf(items);
  }
}
