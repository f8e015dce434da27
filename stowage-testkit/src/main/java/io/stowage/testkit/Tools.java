package io.stowage.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** System tools the tests and benchmarks use, found on the {@code PATH}. */
public final class Tools {
  private Tools() {}

  /** True when an executable of that name is on the {@code PATH}. */
  public static boolean onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator, -1)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code present}, for an assumption; but under CI ({@code CI=true}), where {@code .ci/run}
   * installs every tool the tests use, a missing tool is an error, so that tests meant to run there
   * can never pass by being skipped.
   *
   * @param what the tool and its Debian package, for the message
   */
  public static boolean needed(boolean present, String what) {
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(what + " is missing; .ci/run should have installed it");
    }
    return present;
  }
}
