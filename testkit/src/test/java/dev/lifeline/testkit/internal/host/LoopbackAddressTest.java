package dev.lifeline.testkit.internal.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class LoopbackAddressTest {
  @Test
  void addressesAreWrittenAsProcNetTcpPrintsThem() {
    String expected = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "0100600A" : "0A600001";
    assertThat(LoopbackAddress.procNetHex("10.96.0.1")).isEqualTo(expected);
  }
}
