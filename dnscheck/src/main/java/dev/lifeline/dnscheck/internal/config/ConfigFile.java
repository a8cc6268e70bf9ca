package dev.lifeline.dnscheck.internal.config;

import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.DnsCheckSetting;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Applies a YAML config file to a builder: a map from setting keys ({@code interval: 500ms}) to
 * values; lists are joined with commas, except {@code check}, whose items are one-line specs or
 * maps. Every error names the file and the key.
 */
public final class ConfigFile {
  private ConfigFile() {}

  public static void apply(Path file, DnsCheckConfig.Builder builder) {
    Object root;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "config file " + file + " does not exist; check the path given to --config");
    } catch (MarkedYAMLException e) {
      throw new IllegalArgumentException(
          file
              + ":"
              + (e.getProblemMark() == null ? "?" : e.getProblemMark().getLine() + 1)
              + ": not valid YAML: "
              + e.getProblem());
    } catch (YAMLException | IOException e) {
      throw new IllegalArgumentException(
          "config file " + file + " cannot be read: " + e.getMessage());
    }
    if (root == null) {
      return; // an empty file sets nothing
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          file + ": the file must be a map of settings (interval: 500ms, ...)");
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      DnsCheckSetting setting;
      try {
        setting = DnsCheckSetting.byKey(key);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(
            file + ": unknown setting '" + key + "'; see 'lifeline dnscheck --help' for the keys");
      }
      try {
        applyOne(setting, e.getValue(), builder, file);
      } catch (IllegalArgumentException | IllegalStateException ex) {
        throw new IllegalArgumentException(file + ": " + ex.getMessage(), ex);
      }
    }
  }

  private static void applyOne(
      DnsCheckSetting setting, Object value, DnsCheckConfig.Builder builder, Path file) {
    if (value == null) {
      throw new IllegalArgumentException(setting.key() + " has no value");
    }
    if (setting == DnsCheckSetting.CHECK) {
      List<?> items = value instanceof List<?> l ? l : List.of(value);
      int i = 0;
      for (Object item : items) {
        i++;
        if (item instanceof Map<?, ?> m) {
          Map<String, Object> fields = new java.util.LinkedHashMap<>();
          m.forEach((k, v) -> fields.put(String.valueOf(k), v));
          builder.addCheck(CheckSpec.fromMap(fields, "check #" + i));
        } else {
          builder.set(setting, String.valueOf(item));
        }
      }
      return;
    }
    if (value instanceof Map<?, ?>) {
      throw new IllegalArgumentException(setting.key() + " must be a value, not a map");
    }
    if (value instanceof List<?> list) {
      List<String> parts = new ArrayList<>();
      for (Object o : list) {
        parts.add(String.valueOf(o));
      }
      builder.set(setting, String.join(",", parts));
      return;
    }
    builder.set(setting, String.valueOf(value));
  }
}
