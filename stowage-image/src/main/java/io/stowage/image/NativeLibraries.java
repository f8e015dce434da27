package io.stowage.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The linux-x86_64 JNI libraries inside the initializer's jars (Conscrypt's BoringSSL, zstd-jni),
 * extracted at build time into {@code /app/native}. At run time these libraries would otherwise be
 * unpacked into {@code java.io.tmpdir}, which a read-only root filesystem does not have.
 */
final class NativeLibraries {

  /** Conscrypt's and zstd-jni's names for the linux-x86_64 build of their library. */
  private static final Pattern LINUX_X86_64 =
      Pattern.compile("(META-INF/native/[^/]*linux-x86_64[^/]*\\.so|linux/amd64/[^/]+\\.so)");

  private NativeLibraries() {}

  /** Extracts every matching library of {@code jars} into {@code dir}; returns the files. */
  static List<Path> extract(List<Path> jars, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> out = new ArrayList<>();
    for (Path jar : jars) {
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
          ZipEntry entry = entries.nextElement();
          if (!entry.isDirectory() && LINUX_X86_64.matcher(entry.getName()).matches()) {
            Path target = dir.resolve(Path.of(entry.getName()).getFileName().toString());
            try (InputStream in = zip.getInputStream(entry)) {
              Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            out.add(target);
          }
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** zstd-jni's library, which it loads from {@code -DZstdNativePath} instead of its jar. */
  static String zstdLibrary(List<Path> libraries) {
    for (Path lib : libraries) {
      if (lib.getFileName().toString().startsWith("libzstd-jni")) {
        return lib.getFileName().toString();
      }
    }
    throw new IllegalStateException("no linux-x86_64 zstd-jni library in the initializer's jars");
  }
}
