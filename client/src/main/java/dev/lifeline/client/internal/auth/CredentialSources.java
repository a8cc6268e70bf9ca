package dev.lifeline.client.internal.auth;

import dev.lifeline.client.KubeConfig;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** Chooses the credential source a configuration calls for. */
public final class CredentialSources {
  private CredentialSources() {}

  /**
   * The source for {@code config}: its token file, static token, exec plugin, or none (client
   * certificates from the configuration are presented by TLS).
   */
  public static CredentialSource of(
      KubeConfig config,
      LongSupplier nanoTime,
      Clock clock,
      ExecPluginRunner runner,
      BooleanSupplier stdinIsTerminal,
      Runnable onIdentityChange) {
    if (config.tokenFile() != null) {
      return new TokenFileSource(
          config.tokenFile(),
          config.tokenFileRefresh(),
          nanoTime,
          config.source(),
          config.userField() + ".tokenFile");
    }
    if (config.token() != null) {
      return new StaticTokenSource(config.token());
    }
    if (config.exec() != null) {
      return new ExecCredentialSource(config, clock, runner, stdinIsTerminal, onIdentityChange);
    }
    return CredentialSource.NONE;
  }

  /**
   * Whether standard input is a terminal: {@code System.console()} on Java 17 to 21, {@code
   * Console.isTerminal()} where it exists (Java 22 returns a console even when redirected).
   */
  public static boolean stdinIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
