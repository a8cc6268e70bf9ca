package dev.lifeline.testkit.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ContinueTokenTest {
  @Test
  void encodesTheApiserversFormat() {
    String token = ContinueToken.after(42, "default/web-7").encode();
    String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);

    assertThat(token).doesNotContain("=");
    assertThat(decoded)
        .isEqualTo("{\"v\":\"meta.k8s.io/v1\",\"rv\":42,\"start\":\"default/web-7\\u0000\"}");
  }

  @Test
  void roundTrips() {
    ContinueToken t = ContinueToken.decode(ContinueToken.after(7, "a/b").encode());
    assertThat(t).isEqualTo(new ContinueToken(7, "a/b\u0000"));
  }

  @Test
  void rejectsGarbageWithTheApiserversMessage() {
    assertThatThrownBy(() -> ContinueToken.decode("!!!"))
        .hasMessageStartingWith("continue key is not valid");
    String wrongVersion =
        Base64.getUrlEncoder()
            .encodeToString(
                "{\"v\":\"x\",\"rv\":1,\"start\":\"a\"}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ContinueToken.decode(wrongVersion))
        .hasMessage("continue key is not valid: server does not recognize this encoded version");
    String noVersion =
        Base64.getUrlEncoder()
            .encodeToString(
                "{\"v\":\"meta.k8s.io/v1\",\"rv\":0,\"start\":\"a\"}"
                    .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ContinueToken.decode(noVersion))
        .hasMessage(
            "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  }
}
