package dev.lifeline.client.internal.auth;

import dev.lifeline.client.KubeConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import okhttp3.Request;

/**
 * The impersonation headers of a configuration ({@code as}, {@code as-uid}, {@code as-groups},
 * {@code as-user-extra}). Extra keys are percent-encoded where they hold characters a header name
 * cannot, as client-go does.
 */
final class Impersonation {
  private final String user;
  private final String uid;
  private final List<String> groups;
  private final Map<String, List<String>> extra;

  Impersonation(KubeConfig config) {
    this.user = config.impersonateUser();
    this.uid = config.impersonateUid();
    this.groups = config.impersonateGroups();
    this.extra = config.impersonateExtra();
  }

  boolean isEmpty() {
    return user == null;
  }

  void apply(Request.Builder request) {
    if (user == null) {
      return;
    }
    request.header("Impersonate-User", user);
    if (uid != null) {
      request.header("Impersonate-Uid", uid);
    }
    for (String group : groups) {
      request.addHeader("Impersonate-Group", group);
    }
    for (Map.Entry<String, List<String>> e : extra.entrySet()) {
      String name = "Impersonate-Extra-" + escapeKey(e.getKey());
      for (String value : e.getValue()) {
        request.addHeader(name, value);
      }
    }
  }

  /**
   * Percent-encodes the bytes of {@code key} that are not header-name characters (and '%' itself).
   */
  static String escapeKey(String key) {
    StringBuilder out = new StringBuilder();
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (isTokenChar(c) && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }

  /** RFC 7230 tchar. */
  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
