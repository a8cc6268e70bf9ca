package dev.lifeline.client;

/** The kinds of patch the API server accepts. */
public enum PatchType {
  /** JSON merge patch (RFC 7386): a partial object; {@code null} deletes a field. */
  MERGE("application/merge-patch+json"),
  /** JSON patch (RFC 6902): a list of operations. */
  JSON("application/json-patch+json"),
  /**
   * Strategic merge patch: merges lists by their keys (built-in kinds only, not custom resources).
   */
  STRATEGIC_MERGE("application/strategic-merge-patch+json");

  private final String contentType;

  PatchType(String contentType) {
    this.contentType = contentType;
  }

  /** The request's content type. */
  public String contentType() {
    return contentType;
  }
}
