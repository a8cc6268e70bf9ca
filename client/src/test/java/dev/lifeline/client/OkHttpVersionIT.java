package dev.lifeline.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Proves which OkHttp the ITs ran with: 5.x normally, the version under test in the OkHttp 4 run.
 */
class OkHttpVersionIT {
  @Test
  void theExpectedOkHttpIsOnTheClasspath() throws ReflectiveOperationException {
    // Read reflectively: the constant would otherwise be inlined at compile time, from OkHttp 5.
    String version = (String) Class.forName("okhttp3.OkHttp").getField("VERSION").get(null);
    String expected = System.getProperty("lifeline.expectedOkHttpVersion");
    if (expected != null) {
      assertThat(version).isEqualTo(expected);
    } else {
      assertThat(version).startsWith("5.");
    }
  }
}
