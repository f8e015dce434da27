package io.stowage.image;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The images' file tree, staged on the build machine exactly as the layers will hold it: same
 * paths, same modification times (Jib's fixed one). The class-data archive is dumped inside it, so
 * the jar paths, sizes and times the JVM records in the archive are those it will find in the
 * image.
 */
final class RootFs {
  /** Jib's modification time for every file of a reproducible layer. */
  static final FileTime LAYER_TIME =
      FileTime.from(
          com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer.DEFAULT_MODIFICATION_TIME);

  static final String JAVA = "/opt/java";
  static final String NATIVE = ImageContents.APP + "/native";
  static final String JVM_OPTIONS = ImageContents.APP + "/jvm.options";
  static final String INITIALIZER_CLASSPATH = ImageContents.APP + "/initializer.classpath";
  static final String TOOLS_CLASSPATH = ImageContents.APP + "/stowage.classpath";
  static final String CLASS_LIST = ImageContents.APP + "/classlist";
  static final String ARCHIVE = ImageContents.APP + "/stowage.jsa";

  private final Path root;

  private RootFs(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** The staged file at {@code imagePath} (an absolute path in the image). */
  Path at(String imagePath) {
    return root.resolve(imagePath.substring(1));
  }

  /** Stages a fresh tree under {@code root}. */
  static RootFs stage(
      Path root, Path runtime, Path system, ImageContents contents, Path jvmOptions, Path classList)
      throws IOException {
    deleteTree(root);
    RootFs fs = new RootFs(root);
    copyTree(runtime, fs.at(JAVA));
    copyTree(system, root);
    for (Path jar : contents.libraries()) {
      copy(jar, fs.at(ImageContents.LIB + jar.getFileName()));
    }
    for (Path jar : contents.stowage()) {
      copy(jar, fs.at(ImageContents.LIB + jar.getFileName()));
    }
    for (Path jar : contents.tools()) {
      copy(jar, fs.at(ImageContents.TOOLS_LIB + jar.getFileName()));
    }
    List<Path> natives = NativeLibraries.extract(contents.libraries(), fs.at(NATIVE));
    if (natives.isEmpty()) {
      throw new IOException("no native library found in the initializer's jars");
    }
    copy(jvmOptions, fs.at(JVM_OPTIONS));
    Files.writeString(fs.at(INITIALIZER_CLASSPATH), contents.initializerClasspath() + "\n");
    Files.writeString(fs.at(TOOLS_CLASSPATH), contents.toolsClasspath() + "\n");
    ClassList.write(classList, fs.at(CLASS_LIST));
    fs.fixTimes();
    return fs;
  }

  /** The zstd-jni library's file name in {@code /app/native}. */
  String zstdLibrary() throws IOException {
    try (Stream<Path> s = Files.list(at(NATIVE))) {
      return NativeLibraries.zstdLibrary(s.sorted().toList());
    }
  }

  /** Sets every file's and directory's time to the layers' time. */
  void fixTimes() throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.setLastModifiedTime(file, LAYER_TIME);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.setLastModifiedTime(dir, LAYER_TIME);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
  }

  /** Copies a tree, symbolic links resolved (a layer holds the files themselves). */
  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted().toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals(".stamp")) {
          copy(p, target);
        }
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
