package dev.lifeline.testkit.internal.patch;

/** A patch that is malformed ({@link #isMalformed()}) or that does not apply to the object. */
public final class PatchException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean malformed;

  PatchException(String message, boolean malformed) {
    super(message);
    this.malformed = malformed;
  }

  /** True when the patch document itself is invalid (400); false when it does not apply (422). */
  public boolean isMalformed() {
    return malformed;
  }
}
