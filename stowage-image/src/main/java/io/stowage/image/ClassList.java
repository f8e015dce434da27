package io.stowage.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * The classes a training run of the initializer loaded ({@code -XX:DumpLoadedClassList}), reduced
 * to a sorted list of names. The JVM's list records load order, ids and lambda shapes, which vary
 * from run to run with thread timing; names alone, sorted, make the dumped archive (and so the
 * image digest) depend only on which classes were used.
 */
final class ClassList {
  private ClassList() {}

  static List<String> normalize(List<String> dumped) {
    TreeSet<String> names = new TreeSet<>();
    for (String line : dumped) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("@")) {
        continue;
      }
      int space = trimmed.indexOf(' ');
      names.add(space < 0 ? trimmed : trimmed.substring(0, space));
    }
    return List.copyOf(names);
  }

  static void write(Path dumped, Path to) throws IOException {
    List<String> names = normalize(Files.readAllLines(dumped, StandardCharsets.UTF_8));
    if (names.isEmpty()) {
      throw new IOException("the class list " + dumped + " names no class");
    }
    Files.write(to, names, StandardCharsets.UTF_8);
  }
}
