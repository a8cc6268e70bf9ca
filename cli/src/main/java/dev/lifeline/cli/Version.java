package dev.lifeline.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, or "development" when run from classes. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Lifeline.class.getPackage().getImplementationVersion();
    return new String[] {"lifeline " + (v == null ? "development" : v)};
  }
}
