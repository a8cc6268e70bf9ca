package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.Statuses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A LIST continue token in the apiserver's format: URL-safe base64 (no padding) of {@code
 * {"v":"meta.k8s.io/v1","rv":<version>,"start":"<next key>"}}, where the start key is the last
 * returned key followed by a NUL character so that the next page begins strictly after it.
 *
 * @param resourceVersion the version the list is consistent at
 * @param startKey the first key of the next page
 */
public record ContinueToken(long resourceVersion, String startKey) {
  private static final String VERSION = "meta.k8s.io/v1";

  /** The token that continues after {@code lastKey}. */
  public static ContinueToken after(long resourceVersion, String lastKey) {
    return new ContinueToken(resourceVersion, lastKey + "\u0000");
  }

  /** The encoded token. */
  public String encode() {
    ObjectNode n = Json.object();
    n.put("v", VERSION);
    n.put("rv", resourceVersion);
    n.put("start", startKey);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(n));
  }

  /**
   * Decodes a token.
   *
   * @throws dev.lifeline.testkit.KubeApiException 400 with the apiserver's message when it is not
   *     valid
   */
  public static ContinueToken decode(String token) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(stripPadding(token));
    } catch (IllegalArgumentException e) {
      throw Statuses.badRequest("continue key is not valid: " + e.getMessage());
    }
    JsonNode n;
    try {
      n = Json.parse(raw);
    } catch (IOException e) {
      throw Statuses.badRequest(
          "continue key is not valid: " + new String(raw, StandardCharsets.UTF_8));
    }
    if (!VERSION.equals(n.path("v").asText())) {
      throw Statuses.badRequest(
          "continue key is not valid: server does not recognize this encoded version");
    }
    long rv = n.path("rv").asLong(0);
    if (rv <= 0) {
      throw Statuses.badRequest(
          "continue key is not valid: incorrect encoded start resourceVersion (version "
              + VERSION
              + ")");
    }
    String start = n.path("start").asText("");
    if (start.isEmpty()) {
      throw Statuses.badRequest(
          "continue key is not valid: encoded start key empty (version " + VERSION + ")");
    }
    if (start.startsWith("/") || start.contains("/../") || start.startsWith("../")) {
      throw Statuses.badRequest("continue key is not valid: " + start);
    }
    return new ContinueToken(rv, start);
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }
}
