package dev.lifeline.client;

import java.util.List;
import java.util.Optional;

/**
 * An informer's current view: the latest version of each object, keyed by namespace and name,
 * holding only the projected fields. Reads are thread-safe and see each object's latest state as
 * delivered so far; the view changes while being read.
 *
 * @param <T> the model
 */
public interface Store<T> {
  /** The object with this namespace (null for cluster-scoped) and name. */
  Optional<T> get(String namespace, String name);

  /** A snapshot of all objects. */
  List<T> list();

  /** A snapshot of the objects in one namespace. */
  List<T> list(String namespace);

  /** The number of objects. */
  int size();
}
