package dev.lifeline.testkit.internal.selector;

/** A label or field selector that does not parse; the message is the apiserver's text. */
public final class SelectorException extends Exception {
  private static final long serialVersionUID = 1L;

  SelectorException(String message) {
    super(message);
  }
}
