package dev.lifeline.client.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImpersonationTest {
  @Test
  void extraKeysAreEscapedAsClientGoEscapesThem() {
    assertThat(Impersonation.escapeKey("reason")).isEqualTo("reason");
    assertThat(Impersonation.escapeKey("example.com/scopes")).isEqualTo("example.com%2Fscopes");
    assertThat(Impersonation.escapeKey("100%")).isEqualTo("100%25");
    assertThat(Impersonation.escapeKey("café")).isEqualTo("caf%C3%A9");
  }
}
