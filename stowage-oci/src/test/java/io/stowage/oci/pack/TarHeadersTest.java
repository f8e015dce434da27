package io.stowage.oci.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our tar writer, read back by an independent reader (commons-compress). */
class TarHeadersTest {
  @TempDir Path tmp;

  @Test
  void layersReadBackWithLongNamesModesAndLinks() throws Exception {
    String longDir = "models/" + "d".repeat(120);
    String longName = longDir + "/" + "f".repeat(130) + ".bin";
    Path f = Files.writeString(tmp.resolve("f"), "hello");
    LayerContent layer =
        LayerContent.of(
            List.of(
                TarEntry.directory("models"),
                TarEntry.file("models/a.json", f, 5, false),
                TarEntry.file("models/run.sh", f, 5, true),
                TarEntry.directory(longDir),
                TarEntry.file(longName, f, 5, false),
                TarEntry.symlink("models/link", "a.json")));
    byte[] bytes;
    try (InputStream in = layer.open()) {
      bytes = in.readAllBytes();
    }
    assertThat(bytes.length).isEqualTo(layer.length());
    assertThat(bytes.length % 512).isZero();
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(bytes))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName());
        assertThat(e.getLongUserId()).isZero();
        assertThat(e.getLastModifiedTime().toMillis()).isZero();
        if (e.getName().equals("models/a.json")) {
          assertThat(e.getMode() & 0777).isEqualTo(0644);
          assertThat(new String(tar.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
              .isEqualTo("hello");
        }
        if (e.getName().equals("models/run.sh")) {
          assertThat(e.getMode() & 0777).isEqualTo(0755);
        }
        if (e.isSymbolicLink()) {
          assertThat(e.getLinkName()).isEqualTo("a.json");
        }
      }
    }
    assertThat(names)
        .containsExactly(
            "models/", "models/a.json", "models/run.sh", longDir + "/", longName, "models/link");
  }

  @Test
  void theSameFilesGiveTheSameBytes() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("m"));
    Files.writeString(dir.resolve("b.txt"), "b");
    Files.writeString(dir.resolve("a.txt"), "a");
    Files.createDirectories(dir.resolve("sub"));
    Files.write(dir.resolve("sub/w.bin"), new byte[40 << 20]);
    List<LayerContent> one = ModelLayout.plan(dir, 16 << 20, 1L << 30);
    Files.setLastModifiedTime(dir.resolve("a.txt"), java.nio.file.attribute.FileTime.fromMillis(1));
    List<LayerContent> two = ModelLayout.plan(dir, 16 << 20, 1L << 30);
    assertThat(one).hasSize(2);
    for (int i = 0; i < one.size(); i++) {
      try (InputStream x = one.get(i).open();
          InputStream y = two.get(i).open()) {
        assertThat(x.readAllBytes()).isEqualTo(y.readAllBytes());
      }
    }
    assertThat(one.get(0).entries())
        .extracting(TarEntry::name)
        .containsExactly("models", "models/a.txt", "models/b.txt");
    assertThat(one.get(1).entries())
        .extracting(TarEntry::name)
        .containsExactly("models", "models/sub", "models/sub/w.bin");
  }

  @Test
  void aModelOfManyShardsGetsAtMostAHundredLayersWithEveryFileOnce() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("many"));
    Files.writeString(dir.resolve("config.json"), "{}");
    for (int i = 0; i < 250; i++) {
      Files.write(dir.resolve(String.format("model-%05d.safetensors", i)), new byte[1000]);
    }
    List<LayerContent> layers = ModelLayout.plan(dir, 1000, 1L << 30);
    assertThat(layers).hasSizeLessThanOrEqualTo(ModelLayout.MAX_MODEL_LAYERS);
    List<String> files =
        layers.stream()
            .flatMap(l -> l.entries().stream())
            .filter(e -> e.kind() == TarEntry.Kind.FILE)
            .map(TarEntry::name)
            .toList();
    assertThat(files).hasSize(251).doesNotHaveDuplicates();
    // Consecutive shards share a layer, three at most (250 shards in the 99 layers left).
    assertThat(layers.get(1).entries())
        .extracting(TarEntry::name)
        .containsExactly(
            "models",
            "models/model-00000.safetensors",
            "models/model-00001.safetensors",
            "models/model-00002.safetensors");
    // The layer size limit wins over the layer count: two shards of 1000 bytes fill 2500.
    assertThat(ModelLayout.plan(dir, 1000, 2500)).hasSize(126);
    // A few shards keep a layer each.
    Path few = Files.createDirectories(tmp.resolve("few"));
    for (int i = 0; i < 5; i++) {
      Files.write(few.resolve("s" + i), new byte[1000]);
    }
    assertThat(ModelLayout.plan(few, 1000, 1L << 30)).hasSize(5);
  }
}
