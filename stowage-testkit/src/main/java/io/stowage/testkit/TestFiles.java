package io.stowage.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File chores for directories the testkit created itself. */
final class TestFiles {

  private TestFiles() {}

  /**
   * Best effort, for cleanup at JVM exit: a file that cannot be deleted is left behind rather than
   * failing a shutdown hook.
   */
  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(TestFiles::deleteQuietly);
    } catch (IOException | RuntimeException leftBehind) {
      // Nothing useful to do this late; the directory is under the system temp directory.
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException leftBehind) {
      // See deleteRecursively.
    }
  }
}
