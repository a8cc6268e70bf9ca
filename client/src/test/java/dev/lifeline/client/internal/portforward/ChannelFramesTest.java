package dev.lifeline.client.internal.portforward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.client.PortForwardException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelFramesTest {
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();
  private final List<String> errors = new ArrayList<>();
  private final ChannelFrames.Receiver receiver =
      new ChannelFrames.Receiver() {
        @Override
        public void data(byte[] bytes, int offset, int length) {
          data.write(bytes, offset, length);
        }

        @Override
        public void error(String text) {
          errors.add(text);
        }
      };

  /** Port 53 is 0x0035: little-endian 0x35 0x00. */
  private final ChannelFrames frames = new ChannelFrames("kube-system/coredns port 53", 53);

  @Test
  void theFirstTwoBytesOfEachChannelAreThePortAndTheRestIsPayload() throws IOException {
    frames.decode(new byte[] {0, 0x35, 0x00}, receiver);
    assertThat(frames.isOpen()).isFalse();
    frames.decode(new byte[] {1, 0x35, 0x00}, receiver);
    assertThat(frames.isOpen()).isTrue();
    frames.decode(new byte[] {0, 'a', 'b'}, receiver);
    frames.decode(new byte[] {1, 'n', 'o'}, receiver);

    assertThat(data.toString()).isEqualTo("ab");
    assertThat(errors).containsExactly("no");
  }

  @Test
  void aPortHeaderMaySplitAcrossMessagesOrShareOneWithData() throws IOException {
    frames.decode(new byte[] {0, 0x35}, receiver);
    frames.decode(new byte[] {0, 0x00, 'x', 'y'}, receiver);
    frames.decode(new byte[] {1, 0x35, 0x00}, receiver);

    assertThat(frames.isOpen()).isTrue();
    assertThat(data.toString()).isEqualTo("xy");
  }

  @Test
  void aHeaderForAnotherPortOrAnUnknownChannelIsAProtocolError() {
    assertThatThrownBy(() -> frames.decode(new byte[] {0, 0x50, 0x00}, receiver))
        .isInstanceOf(PortForwardException.class)
        .hasMessage(
            "port-forward to kube-system/coredns port 53: the server named port 80 on channel 0,"
                + " not 53");
    assertThatThrownBy(() -> frames.decode(new byte[] {2, 0x35, 0x00}, receiver))
        .isInstanceOf(PortForwardException.class)
        .hasMessageContaining("channel 2");
  }

  @Test
  void bytesToThePodGoOnChannelZeroWithoutAHeader() {
    assertThat(ChannelFrames.dataMessage(new byte[] {9, 'q', 'r', 9}, 1, 2))
        .containsExactly(0, 'q', 'r');
  }

  @Test
  void anEmptyMessageIsIgnored() throws IOException {
    frames.decode(new byte[0], receiver);
    assertThat(frames.isOpen()).isFalse();
    assertThat(data.size()).isZero();
  }
}
