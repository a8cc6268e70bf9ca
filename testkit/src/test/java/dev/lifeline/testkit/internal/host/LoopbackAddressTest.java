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

  @Test
  void ipv4MappedAddressesAreWrittenAsProcNetTcp6PrintsThem() {
    String expected =
        ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
            ? "0000000000000000FFFF00000164600A"
            : "00000000000000000000FFFF0A606401";
    assertThat(LoopbackAddress.procNet6Hex("10.96.100.1")).isEqualTo(expected);
  }
}
