package io.stowage.image;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which jars go into which image, and in which order on the class path: a pure decision over the
 * distribution's runtime class path.
 *
 * <p>The initializer image carries what {@code stowage initialize} needs; the {@code stowage} image
 * adds the controller's and the tools' jars ({@code toolsOnly}) on top. The initializer's jars come
 * first on both class paths, so the class-data archive dumped for the initializer's class path is
 * valid for the longer one too (the JVM accepts a class path that extends the dumped one).
 *
 * @param libraries third-party jars of the initializer, shared by both images
 * @param stowage Stowage's own jars the initializer needs (they change with every commit, so they
 *     get their own layer)
 * @param tools jars only the {@code stowage} image carries
 */
record ImageContents(List<Path> libraries, List<Path> stowage, List<Path> tools) {

  static final String APP = "/app";
  static final String LIB = APP + "/lib/";
  static final String TOOLS_LIB = APP + "/lib-tools/";

  /**
   * Splits {@code classpath} by file name: names matching a {@code toolsOnly} glob are the tools',
   * names starting with {@code stowage-} are Stowage's own.
   *
   * @throws IllegalArgumentException when a glob matches nothing (the list went stale) or two jars
   *     share a file name (they would overwrite each other in {@code /app/lib})
   */
  static ImageContents split(List<Path> classpath, List<String> toolsOnly) {
    List<PathMatcher> matchers = new ArrayList<>();
    for (String glob : toolsOnly) {
      matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
    }
    boolean[] used = new boolean[matchers.size()];
    Set<String> names = new LinkedHashSet<>();
    List<Path> libraries = new ArrayList<>();
    List<Path> stowage = new ArrayList<>();
    List<Path> tools = new ArrayList<>();
    for (Path jar : classpath) {
      Path name = jar.getFileName();
      if (!names.add(name.toString())) {
        throw new IllegalArgumentException("two jars named " + name + " on the class path");
      }
      boolean toolOnly = false;
      for (int i = 0; i < matchers.size(); i++) {
        if (matchers.get(i).matches(name)) {
          used[i] = true;
          toolOnly = true;
        }
      }
      if (toolOnly) {
        tools.add(jar);
      } else if (name.toString().startsWith("stowage-")) {
        stowage.add(jar);
      } else {
        libraries.add(jar);
      }
    }
    for (int i = 0; i < used.length; i++) {
      if (!used[i]) {
        throw new IllegalArgumentException(
            "tools-only pattern " + toolsOnly.get(i) + " matches no jar on the class path");
      }
    }
    return new ImageContents(List.copyOf(libraries), List.copyOf(stowage), List.copyOf(tools));
  }

  /** The initializer image's class path, as the JVM sees it inside the image. */
  String initializerClasspath() {
    List<String> entries = new ArrayList<>();
    for (Path jar : libraries) {
      entries.add(LIB + jar.getFileName());
    }
    for (Path jar : stowage) {
      entries.add(LIB + jar.getFileName());
    }
    return String.join(":", entries);
  }

  /** The {@code stowage} image's class path: the initializer's, then the tools' jars. */
  String toolsClasspath() {
    List<String> entries = new ArrayList<>();
    entries.add(initializerClasspath());
    for (Path jar : tools) {
      entries.add(TOOLS_LIB + jar.getFileName());
    }
    return String.join(":", entries);
  }
}
