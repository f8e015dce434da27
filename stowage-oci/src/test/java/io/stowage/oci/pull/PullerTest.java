package io.stowage.oci.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.oci.Descriptor;
import io.stowage.oci.ImageReference;
import io.stowage.oci.MediaTypes;
import io.stowage.oci.Platform;
import io.stowage.oci.registry.CredentialStore;
import io.stowage.oci.registry.Registries;
import io.stowage.oci.registry.RegistrySettings;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.net.NetSettings;
import io.stowage.storage.transfer.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pull path against an in-process registry: layout, overlay rules, safety, integrity. */
class PullerTest {
  @TempDir Path tmp;
  private FakeRegistry registry;
  private Registries registries;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
    registries =
        new Registries(
            new RegistrySettings(
                NetSettings.defaults(),
                RegistrySettings.PlainHttp.everywhere(),
                CredentialStore.anonymous(),
                new RetryPolicy(2, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5)),
                1 << 20));
  }

  @AfterEach
  void stop() {
    registries.close();
    registry.close();
  }

  private PullResult pull(String repoAndTag, Path dest) {
    return pull(repoAndTag, dest, 4);
  }

  private PullResult pull(String repoAndTag, Path dest, int concurrency) {
    String ref = "oci://" + registry.address() + "/" + repoAndTag;
    return new Puller(
            registries,
            new PullOptions(
                Platform.LINUX_AMD64, concurrency, 1 << 20, RetryPolicy.withAttempts(2), false),
            line -> {})
        .pull(ImageReference.parse(ref), dest, ref);
  }

  private Descriptor layer(Layers l) {
    return registry.blob(MediaTypes.OCI_LAYER, l.bytes());
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void onlyModelsIsExtractedPrefixStrippedAndLargeMembersComeInRanges() throws Exception {
    byte[] big = random(5 << 20, 1);
    Descriptor base =
        layer(new Layers().dir("bin").file("bin/sh", "#!").file("etc/passwd", "root"));
    Descriptor model =
        layer(
            new Layers()
                .dir("./models")
                .file("./models/config.json", "{}")
                .file("models/w.bin", big));
    registry.image("m:v1", List.of(base, model));
    Path dest = tmp.resolve("dest");
    PullResult r = pull("m:v1", dest);
    assertThat(r.files()).isEqualTo(2);
    assertThat(Files.readString(dest.resolve("config.json"))).isEqualTo("{}");
    assertThat(Files.readAllBytes(dest.resolve("w.bin"))).isEqualTo(big);
    assertThat(dest.resolve("bin")).doesNotExist();
    assertThat(dest.resolve("etc")).doesNotExist();
    // The 5 MiB member was fetched as 1 MiB ranges beside the layer's own stream.
    assertThat(registry.ranges.stream().filter(x -> !x.endsWith("-" + (model.size() - 1))).count())
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void whiteoutsAndOpaqueDirectoriesApplyToLowerLayersInOrder() throws Exception {
    Descriptor one =
        layer(
            new Layers()
                .file("models/keep.txt", "1")
                .file("models/gone.txt", "1")
                .file("models/sub/a.txt", "1")
                .file("models/opq/old.txt", "1"));
    Descriptor two =
        layer(
            new Layers()
                .file("models/.wh.gone.txt", "")
                .file("models/.wh.sub", "")
                .file("models/opq/.wh..wh..opq", "")
                .file("models/opq/new.txt", "2")
                .file("models/keep.txt", "2"));
    registry.image("w:v1", List.of(one, two));
    Path dest = tmp.resolve("dest");
    pull("w:v1", dest);
    assertThat(Files.readString(dest.resolve("keep.txt"))).isEqualTo("2");
    assertThat(dest.resolve("gone.txt")).doesNotExist();
    assertThat(dest.resolve("sub")).doesNotExist();
    assertThat(dest.resolve("opq/old.txt")).doesNotExist();
    assertThat(Files.readString(dest.resolve("opq/new.txt"))).isEqualTo("2");
  }

  @Test
  void gzipLayersAndLinksInsideTheModelWork() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(
          new Layers()
              .file("models/a.txt", "a")
              .symlink("models/b.txt", "a.txt")
              .symlink("models/c.txt", "/models/a.txt")
              .hardLink("models/d.txt", "models/a.txt")
              .bytes());
    }
    registry.image("g:v1", List.of(registry.blob(MediaTypes.OCI_LAYER_GZIP, gz.toByteArray())));
    Path dest = tmp.resolve("dest");
    pull("g:v1", dest);
    assertThat(Files.readString(dest.resolve("b.txt"))).isEqualTo("a");
    assertThat(Files.readSymbolicLink(dest.resolve("c.txt")).toString()).isEqualTo("a.txt");
    assertThat(Files.readString(dest.resolve("d.txt"))).isEqualTo("a");
  }

  @Test
  void unsafeMembersAreRefusedAndNothingLeavesTheDestination() throws Exception {
    List<Layers> hostile =
        List.of(
            new Layers().file("/models/abs.txt", "x"),
            new Layers().file("models/../../escape.txt", "x"),
            new Layers().symlink("models/link", "../../etc/passwd"),
            new Layers().symlink("models/abs-link", "/etc/passwd"),
            new Layers().device("models/dev"),
            new Layers().symlink("models/here", ".").symlink("models/out", "here/../x"),
            new Layers().symlink("models/dir", "/").file("models/dir/etc/x", "x"),
            new Layers().file("models/.stowage-manifest.jsonl", "{}"));
    int i = 0;
    for (Layers l : hostile) {
      String repo = "bad" + i++ + ":v1";
      registry.image(repo, List.of(layer(l)));
      Path dest = tmp.resolve("dest" + i);
      assertThatThrownBy(() -> pull(repo, dest))
          .as(repo)
          .isInstanceOfSatisfying(
              StorageException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.UNSAFE_SOURCE));
    }
    assertThat(tmp.resolve("escape.txt")).doesNotExist();
  }

  @Test
  void aPullRefusedForItsSecondLayerLeavesTheDestinationAsItWas() throws Exception {
    Descriptor first =
        layer(
            new Layers()
                .file("models/config.json", "{}")
                .dir("models/sub")
                .symlink("models/sub/up", ".."));
    // Each link stays inside on its own; through sub/up, "sub/up/.." is the parent of /models.
    Descriptor escapingThroughLinks =
        layer(new Layers().file("models/w.bin", "w").symlink("models/esc", "sub/up/.."));
    Descriptor escapingAlone =
        layer(new Layers().file("models/w.bin", "w").symlink("models/esc", "../../etc"));
    registry.image("through:v1", List.of(first, escapingThroughLinks));
    registry.image("alone:v1", List.of(first, escapingAlone));
    for (String image : List.of("through:v1", "alone:v1")) {
      Path dest = tmp.resolve("dest-" + image.replace(':', '-'));
      Files.createDirectories(dest.resolve("theirs"));
      Files.writeString(dest.resolve("theirs/notes.txt"), "kept");
      List<String> before = tree(dest);
      // One layer at a time: the first is extracted and recorded before the second is refused.
      assertThatThrownBy(() -> pull(image, dest, 1))
          .as(image)
          .isInstanceOfSatisfying(
              StorageException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.UNSAFE_SOURCE));
      assertThat(tree(dest)).as(image).isEqualTo(before);
    }
  }

  /** A gzip layer of one tar member of {@code zeros} zero bytes, then {@code trailing} more. */
  private static byte[] gzipOfZeros(String member, long zeros, long trailing) throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz, 1 << 16)) {
      byte[] chunk = new byte[1 << 20];
      org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
          new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
              new java.io.FilterOutputStream(out) {
                @Override
                public void close() {
                  // The gzip stream is closed after the trailing data.
                }

                @Override
                public void write(byte[] b, int off, int len) throws java.io.IOException {
                  out.write(b, off, len);
                }
              });
      tar.setBigNumberMode(
          org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.BIGNUMBER_POSIX);
      org.apache.commons.compress.archivers.tar.TarArchiveEntry e =
          new org.apache.commons.compress.archivers.tar.TarArchiveEntry(member, true);
      e.setSize(zeros);
      tar.putArchiveEntry(e);
      for (long left = zeros; left > 0; left -= chunk.length) {
        tar.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
      tar.closeArchiveEntry();
      tar.finish();
      for (long left = trailing; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    }
    return gz.toByteArray();
  }

  @Test
  void aGzipBombLayerIsRefusedByTheArchiveLimitsAndLeavesNothing() throws Exception {
    // 64 MiB of zeros in a member (refused from its header), or after the tar's end (refused as
    // it streams): both compress to well under 1 MiB, far above a ratio of 200.
    byte[] member = gzipOfZeros("models/w.bin", 64L << 20, 0);
    byte[] trailing = gzipOfZeros("models/a.txt", 1, 64L << 20);
    assertThat(member.length).isLessThan(1 << 20);
    registry.image("member:v1", List.of(registry.blob(MediaTypes.OCI_LAYER_GZIP, member)));
    registry.image("trailing:v1", List.of(registry.blob(MediaTypes.OCI_LAYER_GZIP, trailing)));
    for (String image : List.of("member:v1", "trailing:v1")) {
      Path dest = Files.createDirectories(tmp.resolve("dest-" + image.replace(':', '-')));
      assertThatThrownBy(() -> pull(image, dest))
          .as(image)
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.UNSAFE_SOURCE))
          .hasMessageContaining("decompression bomb")
          .hasMessageContaining("STOWAGE_ARCHIVE_MAX_RATIO");
      assertThat(tree(dest)).as(image).isEmpty();
    }
  }

  @Test
  void aLayerWithMoreEntriesThanAllowedIsRefused() throws Exception {
    Layers l = new Layers();
    for (int i = 0; i < 5; i++) {
      l.file("models/f" + i + ".txt", "x");
    }
    registry.image("many:v1", List.of(layer(l)));
    String ref = "oci://" + registry.address() + "/many:v1";
    Puller p =
        new Puller(
            registries,
            new PullOptions(
                Platform.LINUX_AMD64,
                2,
                1 << 20,
                RetryPolicy.withAttempts(2),
                false,
                new io.stowage.storage.archive.ArchiveLimits(1L << 40, 200, 3)),
            line -> {});
    Path dest = tmp.resolve("dest");
    assertThatThrownBy(() -> p.pull(ImageReference.parse(ref), dest, ref))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.UNSAFE_SOURCE))
        .hasMessageContaining("STOWAGE_ARCHIVE_MAX_ENTRIES");
    assertThat(tree(dest)).isEmpty();
  }

  /**
   * A destination too small for the layers: refused up front when their stored size does not fit,
   * stopped cleanly by the first failed write when they expand beyond the space (the stored size of
   * a compressed layer is all that is known before it streams).
   */
  @Test
  void aFullDiskIsADiskFailureAndTheFailedLayerLeavesNothingBehind() throws Exception {
    Path small = Files.createDirectories(tmp.resolve("small"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString())
            .redirectErrorStream(true)
            .start();
    mount.getInputStream().readAllBytes();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        mount.waitFor() == 0, "needs root to mount a small tmpfs");
    try {
      // 3 MiB of random bytes: more than the free space as stored.
      registry.image(
          "big:v1", List.of(layer(new Layers().file("models/w.bin", random(3 << 20, 4)))));
      // 3 MiB of zeros in a few KiB of gzip: fits as stored, not once expanded.
      registry.image(
          "expands:v1",
          List.of(
              registry.blob(MediaTypes.OCI_LAYER_GZIP, gzipOfZeros("models/w.bin", 3 << 20, 0))));
      for (String image : List.of("big:v1", "expands:v1")) {
        Path dest = Files.createDirectories(small.resolve(image.replace(':', '-')));
        assertThatThrownBy(() -> pull(image, dest))
            .as(image)
            .isInstanceOfSatisfying(
                StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.DISK))
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(tree(dest)).as(image).isSubsetOf(".stowage-manifest.jsonl");
      }
    } finally {
      new ProcessBuilder("umount", small.toString()).start().waitFor();
    }
  }

  /** Every entry under {@code root}, hidden ones included, with its type. */
  private static List<String> tree(Path root) throws java.io.IOException {
    try (var s = Files.walk(root)) {
      return s.filter(p -> !p.equals(root))
          .map(
              p ->
                  root.relativize(p)
                      + (Files.isSymbolicLink(p) ? "@" : Files.isDirectory(p) ? "/" : ""))
          .sorted()
          .toList();
    }
  }

  @Test
  void aLayerWhoseBytesDoNotMatchItsDigestFailsAndAFixedRegistryResumesPerLayer() throws Exception {
    Descriptor one = layer(new Layers().file("models/one.bin", random(3 << 20, 2)));
    Descriptor two = layer(new Layers().file("models/two.txt", "two"));
    registry.image("c:v1", List.of(one, two));
    registry.corrupt(two.digest());
    Path dest = tmp.resolve("dest");
    // One layer at a time, largest first: layer one is complete before layer two fails (in
    // parallel, the first failure cancels the layers still in flight).
    assertThatThrownBy(() -> pull("c:v1", dest, 1))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.INTEGRITY))
        .hasMessageContaining(two.digest().toString());
    assertThat(dest.resolve("two.txt")).doesNotExist();
    int before = registry.gets(one.digest());
    registry.repair(two.digest());
    PullResult r = pull("c:v1", dest);
    assertThat(r.resumedLayers()).isEqualTo(1);
    assertThat(registry.gets(one.digest())).isEqualTo(before);
    assertThat(Files.readString(dest.resolve("two.txt"))).isEqualTo("two");
  }

  @Test
  void aFlippedByteInsideAMemberFetchedInRangesFailsTheLayer() throws Exception {
    // The ranged parts are written beside the layer's stream; they must be hashed all the same.
    Descriptor big = layer(new Layers().file("models/w.bin", random(6 << 20, 3)));
    registry.image("r:v1", List.of(big));
    registry.corrupt(big.digest());
    Path dest = tmp.resolve("dest");
    assertThatThrownBy(() -> pull("r:v1", dest))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.INTEGRITY))
        .hasMessageContaining(big.digest().toString());
    assertThat(registry.ranges).isNotEmpty();
    assertThat(dest.resolve("w.bin")).doesNotExist();
  }

  @Test
  void whenTheLayersKeepEveryConnectionBusyLargeMembersAreStreamedWholeAndStillVerified()
      throws Exception {
    List<Descriptor> layers = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      layers.add(layer(new Layers().file("models/s" + i + ".bin", random(3 << 20, 10 + i))));
    }
    registry.image("s:v1", layers);
    Path dest = tmp.resolve("dest");
    pull("s:v1", dest, 2);
    for (int i = 0; i < 3; i++) {
      assertThat(Files.readAllBytes(dest.resolve("s" + i + ".bin")))
          .isEqualTo(random(3 << 20, 10 + i));
    }
    // While as many layers as connections were unfinished, no member was split: only the member
    // of the last layer may be (once the others are done, a connection is idle), so the ranged
    // parts add up to one member's bytes at most. How far the last layer got before that
    // depends on timing, so it is not pinned down.
    List<String> layerEnds = layers.stream().map(d -> "-" + (d.size() - 1)).toList();
    long partBytes =
        registry.ranges.stream()
            .filter(r -> layerEnds.stream().noneMatch(r::endsWith))
            .mapToLong(
                r -> {
                  String[] se = r.substring("bytes=".length()).split("-", 2);
                  return Long.parseLong(se[1]) - Long.parseLong(se[0]) + 1;
                })
            .sum();
    assertThat(partBytes).isLessThanOrEqualTo(3 << 20);
    assertThat(registry.ranges.stream().filter(r -> r.startsWith("bytes=0-"))).hasSize(3);
    registry.corrupt(layers.get(1).digest());
    assertThatThrownBy(() -> pull("s:v1", tmp.resolve("dest2"), 2))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.INTEGRITY))
        .hasMessageContaining(layers.get(1).digest().toString());
  }

  @Test
  void aNewImageReplacesTheOldOnesFiles() throws Exception {
    registry.image(
        "n:v1",
        List.of(layer(new Layers().file("models/old.txt", "old").file("models/same.txt", "1"))));
    registry.image(
        "n:v2",
        List.of(layer(new Layers().file("models/new.txt", "new").file("models/same.txt", "2"))));
    Path dest = tmp.resolve("dest");
    String ref = "oci://" + registry.address() + "/n:v1";
    Puller p =
        new Puller(
            registries,
            new PullOptions(Platform.LINUX_AMD64, 4, 1 << 20, RetryPolicy.withAttempts(2), false),
            line -> {});
    p.pull(ImageReference.parse(ref), dest, "oci://models/n");
    p.pull(ImageReference.parse("oci://" + registry.address() + "/n:v2"), dest, "oci://models/n");
    assertThat(dest.resolve("old.txt")).doesNotExist();
    assertThat(Files.readString(dest.resolve("same.txt"), StandardCharsets.UTF_8)).isEqualTo("2");
    assertThat(dest.resolve("new.txt")).exists();
  }

  @Test
  void anImageWithoutModelsIsNotAModelcar() {
    registry.image("e:v1", List.of(layer(new Layers().file("etc/x", "x"))));
    assertThatThrownBy(() -> pull("e:v1", tmp.resolve("dest")))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.NOT_FOUND))
        .hasMessageContaining("nothing under /models");
  }
}
