package io.stowage.oci;

import io.stowage.oci.MediaTypes.Compression;
import io.stowage.oci.pack.PackOptions;
import io.stowage.oci.pack.PackResult;
import io.stowage.oci.pack.Packer;
import io.stowage.oci.pull.PullOptions;
import io.stowage.oci.pull.PullResult;
import io.stowage.oci.pull.Puller;
import io.stowage.oci.registry.CredentialStore;
import io.stowage.oci.registry.Registries;
import io.stowage.oci.registry.RegistrySettings;
import io.stowage.storage.net.NetSettings;
import io.stowage.storage.transfer.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Shared set-up for the tests against a real registry. */
final class OciFixtures {
  private OciFixtures() {}

  static Registries registries(CredentialStore credentials) {
    return new Registries(
        new RegistrySettings(
            NetSettings.defaults(),
            RegistrySettings.PlainHttp.everywhere(),
            credentials,
            RetryPolicy.withAttempts(3),
            1024 * 1024));
  }

  static PackResult pack(
      Registries r, Path model, String target, Optional<String> base, Compression c, Path work) {
    return new Packer(r, line -> {})
        .pack(
            new PackOptions(
                model,
                ImageReference.parse(target),
                base.map(ImageReference::parse),
                Platform.LINUX_AMD64,
                c,
                PackOptions.DEFAULT_LARGE_FILE_SIZE / 8,
                PackOptions.DEFAULT_MAX_LAYER_SIZE,
                4,
                work));
  }

  /** Pulls with 1 MiB parts, so that members of 2 MiB and more are fetched in ranges. */
  static PullResult pull(Registries r, String ref, Path dest) {
    return new Puller(
            r,
            new PullOptions(
                Platform.LINUX_AMD64, 4, 1024 * 1024, RetryPolicy.withAttempts(3), false),
            line -> {})
        .pull(ImageReference.parse(ref), dest, ref);
  }

  /** Every regular file under {@code dir} (hidden Stowage files left out), by relative path. */
  static Map<String, byte[]> files(Path dir) {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(p).toString();
        if (!rel.startsWith(".stowage-")) {
          out.put(rel, Files.readAllBytes(p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static void delete(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a system tool; fails the test with its output when it fails. */
  static String run(Path dir, List<String> command) {
    try {
      Path out = Files.createTempFile("tool", ".out");
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " timed out");
      }
      String text = Files.readString(out);
      Files.delete(out);
      if (p.exitValue() != 0) {
        throw new AssertionError(command + " failed (" + p.exitValue() + "):\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
