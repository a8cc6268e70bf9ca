package dev.lifeline.cli.internal.demo;

/** Who a timeline line is about; the label is the line's second column. */
public enum Actor {
  /** The demo itself: set-up, phases, the end. */
  DEMO("demo"),
  /** A fault injected or removed. */
  FAULT("FAULT"),
  /** The control plane: its EndpointSlice, as the store holds it. */
  CONTROL_PLANE("control plane"),
  /** The failover engine's events. */
  ENGINE("lifeline engine"),
  /** The client wired to the failover engine. */
  WITH_LIFELINE("with Lifeline"),
  /** The same client without the engine. */
  WITHOUT_LIFELINE("without Lifeline");

  private final String label;

  Actor(String label) {
    this.label = label;
  }

  /** The column text. */
  public String label() {
    return label;
  }

  /** The longest label, for alignment. */
  static int width() {
    int width = 0;
    for (Actor a : values()) {
      width = Math.max(width, a.label.length());
    }
    return width;
  }
}
