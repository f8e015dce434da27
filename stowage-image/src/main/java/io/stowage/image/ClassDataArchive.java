package io.stowage.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Dumps the images' class-data archive ({@code /app/stowage.jsa}): the JDK's and the initializer's
 * classes from the training run's class list, parsed and laid out once at build time instead of at
 * every pod start.
 *
 * <p>The JVM only maps an archive whose recorded class path (paths, sizes, modification times)
 * matches what it runs with, so the dump runs inside the staged image tree ({@code chroot}), with
 * the image's own runtime and class path. A static dump from a sorted class list is single-threaded
 * and deterministic, unlike {@code -XX:ArchiveClassesAtExit}, so the image digest stays
 * reproducible. It replaces the JDK's default archive, which the runtime therefore does not carry.
 */
final class ClassDataArchive {
  private ClassDataArchive() {}

  /** The JVM options that select the archive, for the entrypoint. */
  static List<String> runtimeOptions() {
    return List.of(
        "-XX:SharedArchiveFile=" + RootFs.ARCHIVE,
        "-Xshare:auto",
        "-Xlog:cds=off",
        "-Xlog:cds+dynamic=off");
  }

  static void dump(RootFs fs, Path log) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(chroot(fs.root()));
    command.addAll(
        List.of(
            RootFs.JAVA + "/bin/java",
            "@" + RootFs.JVM_OPTIONS,
            "-Xshare:dump",
            "-XX:SharedClassListFile=" + RootFs.CLASS_LIST,
            "-XX:SharedArchiveFile=" + RootFs.ARCHIVE,
            "-cp",
            "@" + RootFs.INITIALIZER_CLASSPATH));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().clear();
    // The launcher finds libjli through $ORIGIN, which glibc resolves through /proc/self/exe; a
    // bare chroot has no /proc, a container does.
    pb.environment().put("LD_LIBRARY_PATH", RootFs.JAVA + "/lib:" + RootFs.JAVA + "/lib/server");
    Process p = pb.redirectOutput(log.toFile()).start();
    int exit = p.waitFor();
    Path archive = fs.at(RootFs.ARCHIVE);
    if (exit != 0 || !Files.isRegularFile(archive)) {
      List<String> tail = Files.readAllLines(log, StandardCharsets.UTF_8);
      throw new IOException(
          "dumping the class-data archive failed (exit "
              + exit
              + "): "
              + String.join(" | ", tail.subList(Math.max(0, tail.size() - 5), tail.size()))
              + " (full log: "
              + log
              + ")");
    }
    Files.setLastModifiedTime(archive, RootFs.LAYER_TIME);
  }

  /**
   * {@code chroot} as root; otherwise inside a user namespace where this user is root ({@code
   * unshare -r}), which needs no privilege where unprivileged user namespaces are allowed.
   */
  private static List<String> chroot(Path root) throws IOException, InterruptedException {
    boolean isRoot =
        new String(
                new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                StandardCharsets.US_ASCII)
            .strip()
            .equals("0");
    String dir = root.toAbsolutePath().toString();
    return isRoot ? List.of("chroot", dir) : List.of("unshare", "-r", "chroot", dir);
  }
}
