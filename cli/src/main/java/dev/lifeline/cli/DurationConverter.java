package dev.lifeline.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as Kubernetes tools write them: a number and a unit, repeated ({@code 500ms},
 * {@code 15s}, {@code 1.5s}, {@code 2m}, {@code 1m30s}). Units: {@code ms}, {@code s}, {@code m},
 * {@code h}. A bare number is refused, because whether {@code 15} means seconds or milliseconds is
 * exactly the doubt a flag must not leave.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /**
   * Parses a duration.
   *
   * @throws TypeConversionException saying what is wrong and giving an example
   */
  static Duration parse(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    if (text.matches("\\d+(\\.\\d+)?")) {
      throw new TypeConversionException(
          "'" + value + "' has no unit; write for example " + text + "s or " + text + "ms");
    }
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new TypeConversionException(
            "'" + value + "' is not a duration; write for example 500ms, 15s, 1.5s or 1m30s");
      }
      total = total.plus(part(new BigDecimal(m.group(1)), m.group(2)));
      at = m.end();
    }
    if (text.isEmpty()) {
      throw new TypeConversionException(
          "an empty duration; write for example 500ms, 15s, 1.5s or 1m30s");
    }
    return total;
  }

  private static Duration part(BigDecimal amount, String unit) {
    BigDecimal millis =
        switch (unit) {
          case "ms" -> amount;
          case "s" -> amount.multiply(BigDecimal.valueOf(1_000));
          case "m" -> amount.multiply(BigDecimal.valueOf(60_000));
          default -> amount.multiply(BigDecimal.valueOf(3_600_000));
        };
    if (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000)) > 0) {
      throw new TypeConversionException(amount + unit + " is too long");
    }
    return Duration.ofNanos(millis.multiply(BigDecimal.valueOf(1_000_000)).longValue());
  }
}
