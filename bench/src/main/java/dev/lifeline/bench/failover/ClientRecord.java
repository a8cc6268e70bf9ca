package dev.lifeline.bench.failover;

/**
 * One line a scenario client JVM writes to its standard output, read by the benchmark JVM. Times
 * are {@link System#nanoTime()} readings: on Linux that is {@code CLOCK_MONOTONIC}, shared by every
 * process on the machine, so the two JVMs compare them directly (the benchmark checks this at each
 * start, see {@link Clock}).
 */
sealed interface ClientRecord {

  /** Writes the record as one line (no line break). */
  String format();

  /**
   * Parses a line written by {@link #format()}.
   *
   * @return the record, or null when the line is not one (libraries may print to standard output)
   */
  static ClientRecord parse(String line) {
    int space = line.indexOf(' ');
    String tag = space < 0 ? line : line.substring(0, space);
    try {
      return switch (tag) {
        case "@clock" -> new Clock(Long.parseLong(fields(line, 2)[1]));
        case "@ready" -> new Ready(Long.parseLong(fields(line, 2)[1]));
        case "@get" -> {
          String[] f = fields(line, 5);
          yield new Get(
              Long.parseLong(f[1]),
              Long.parseLong(f[2]),
              f[3].equals("ok"),
              f.length > 4 ? f[4] : "");
        }
        case "@watch" -> {
          String[] f = fields(line, 5);
          yield new Delivery(Long.parseLong(f[1]), f[2].charAt(0), f[3], Long.parseLong(f[4]));
        }
        case "@engine" -> {
          String[] f = fields(line, 5);
          yield new EngineEvent(Long.parseLong(f[1]), f[2], f[3], f.length > 4 ? f[4] : "");
        }
        case "@endpoints" -> {
          String[] f = fields(line, 4);
          yield new EndpointStates(
              Long.parseLong(f[1]), Integer.parseInt(f[2]), f.length > 3 ? f[3] : "");
        }
        case "@fatal" -> new Fatal(space < 0 ? "" : line.substring(space + 1));
        default -> null;
      };
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  /** The line's space-separated fields, the last one taking the rest of the line. */
  private static String[] fields(String line, int limit) {
    return line.split(" ", limit);
  }

  /** The client JVM's clock at start, to check that both JVMs share the monotonic clock. */
  record Clock(long nanos) implements ClientRecord {
    @Override
    public String format() {
      return "@clock " + nanos;
    }
  }

  /** The client answered its first GET and its watch delivered its initial list. */
  record Ready(long nanos) implements ClientRecord {
    @Override
    public String format() {
      return "@ready " + nanos;
    }
  }

  /**
   * One GET: when it started and ended, whether it succeeded, and for a failure what was thrown.
   */
  record Get(long startNanos, long endNanos, boolean ok, String detail) implements ClientRecord {
    @Override
    public String format() {
      return "@get "
          + startNanos
          + " "
          + endNanos
          + " "
          + (ok ? "ok" : "failed")
          + " "
          + oneLine(detail);
    }
  }

  /**
   * The watch delivered a change of object {@code name} at {@code resourceVersion}: {@code A}dded,
   * {@code U}pdated or {@code D}eleted.
   */
  record Delivery(long nanos, char type, String name, long resourceVersion)
      implements ClientRecord {
    @Override
    public String format() {
      return "@watch " + nanos + " " + type + " " + name + " " + resourceVersion;
    }
  }

  /**
   * An event of the failover engine: {@code down}, {@code draining}, {@code up}, {@code closed},
   * {@code failover}, {@code seed}, {@code dns}, {@code discovery}.
   */
  record EngineEvent(long nanos, String kind, String endpoint, String detail)
      implements ClientRecord {
    @Override
    public String format() {
      return "@engine " + nanos + " " + kind + " " + endpoint + " " + oneLine(detail);
    }
  }

  /**
   * The engine's endpoints, answering a {@code status} request: how many are up, and for each
   * {@code address:port=STATE/connections} (the connections the engine tracks), comma-separated.
   */
  record EndpointStates(long nanos, int up, String states) implements ClientRecord {
    /** The connections the engine tracks to {@code endpoint} ({@code address:port}), or -1. */
    int connectionsTo(String endpoint) {
      for (String entry : states.split(",")) {
        int eq = entry.indexOf('=');
        int slash = entry.lastIndexOf('/');
        if (eq > 0 && slash > eq && entry.substring(0, eq).equals(endpoint)) {
          try {
            return Integer.parseInt(entry.substring(slash + 1));
          } catch (NumberFormatException e) {
            return -1;
          }
        }
      }
      return -1;
    }

    @Override
    public String format() {
      return "@endpoints " + nanos + " " + up + " " + states;
    }
  }

  /** The client could not start or run; the message says why. */
  record Fatal(String message) implements ClientRecord {
    @Override
    public String format() {
      return "@fatal " + oneLine(message);
    }
  }

  private static String oneLine(String text) {
    String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
    return flat.length() > 300 ? flat.substring(0, 300) : flat;
  }
}
