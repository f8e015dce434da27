package io.stowage.cli;

import picocli.CommandLine;

/** The version from the jar manifest (set by the build). */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"stowage " + (v == null ? "dev" : v)};
  }
}
