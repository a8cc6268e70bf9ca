package dev.lifeline.client.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;

/** The default user agent, client-go style: {@code lifeline/0.1.0 (linux/amd64)}. */
public final class UserAgent {
  private UserAgent() {}

  /** This library's version, from the build. */
  public static String version() {
    Properties properties = new Properties();
    try (InputStream in =
        UserAgent.class.getResourceAsStream("/dev/lifeline/client/version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return properties.getProperty("version", "unknown");
  }

  /** The default user agent. */
  public static String defaultUserAgent() {
    return "lifeline/" + version() + " (" + os() + "/" + arch() + ")";
  }

  private static String os() {
    String name = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT);
    if (name.startsWith("linux")) {
      return "linux";
    }
    if (name.startsWith("mac")) {
      return "darwin";
    }
    if (name.startsWith("windows")) {
      return "windows";
    }
    return name.replace(' ', '-');
  }

  private static String arch() {
    String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
    switch (arch) {
      case "x86_64":
      case "amd64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      default:
        return arch;
    }
  }
}
