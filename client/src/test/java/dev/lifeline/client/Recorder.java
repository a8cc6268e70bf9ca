package dev.lifeline.client;

import dev.lifeline.client.model.KubeObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what an informer tells its handler and listener, as short lines. */
final class Recorder<T extends KubeObject> implements ResourceHandler<T>, InformerListener {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<String> notes = new CopyOnWriteArrayList<>();

  @Override
  public void onAdd(T object, boolean isInInitialList) {
    events.add("add " + object.name() + (isInInitialList ? " initial" : ""));
  }

  @Override
  public void onUpdate(T oldObject, T newObject) {
    events.add("update " + newObject.name());
  }

  @Override
  public void onDelete(T object, boolean finalStateUnknown) {
    events.add("delete " + object.name() + (finalStateUnknown ? " unknown" : ""));
  }

  @Override
  public void onSynced() {
    events.add("synced");
  }

  @Override
  public void watchListFallback(String informer, String reason) {
    notes.add("fallback: " + reason);
  }

  @Override
  public void relisted(String informer, String resourceVersion) {
    notes.add("relisted");
  }

  @Override
  public void backoff(String informer, Duration delay) {
    notes.add("backoff");
  }

  List<String> snapshot() {
    return new ArrayList<>(events);
  }
}
