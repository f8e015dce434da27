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
}
