package io.stowage.storage.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
  @TempDir Path dir;

  @Test
  void journalsPartsAndFilesAndReadsThemBack() throws Exception {
    RelativePath a = new RelativePath("a.bin");
    RelativePath b = new RelativePath("sub/b.bin");
    try (Manifest m = Manifest.open(dir)) {
      m.appendParts(
          List.of(
              new Manifest.PartialEntry(
                  "s3://x/y", a, 100, "\"e1\"", List.of(new ByteRange(0, 10)))));
      m.appendParts(
          List.of(
              new Manifest.PartialEntry(
                  "s3://x/y", a, 100, "\"e1\"", List.of(new ByteRange(10, 20)))));
      m.appendFile(new Manifest.FileEntry("s3://x/y", b, 5, "\"e2\"", 1234));
    }
    try (Manifest m = Manifest.open(dir)) {
      assertThat(m.partial(a).orElseThrow().done())
          .containsExactly(new ByteRange(0, 10), new ByteRange(10, 20));
      assertThat(m.published()).containsKey(b);
      assertThat(m.partial(b)).isEmpty();
    }
  }

  @Test
  void aPartOfAnotherVersionStartsOver() throws Exception {
    RelativePath a = new RelativePath("a.bin");
    try (Manifest m = Manifest.open(dir)) {
      m.appendParts(
          List.of(new Manifest.PartialEntry("s", a, 100, "\"v1\"", List.of(new ByteRange(0, 10)))));
      m.appendParts(
          List.of(
              new Manifest.PartialEntry("s", a, 100, "\"v2\"", List.of(new ByteRange(50, 60)))));
    }
    try (Manifest m = Manifest.open(dir)) {
      assertThat(m.partial(a).orElseThrow().done()).containsExactly(new ByteRange(50, 60));
      assertThat(m.partial(a).orElseThrow().version()).isEqualTo("\"v2\"");
    }
  }

  @Test
  void ignoresATornLastLine() throws Exception {
    RelativePath a = new RelativePath("a.bin");
    try (Manifest m = Manifest.open(dir)) {
      m.appendFile(new Manifest.FileEntry("s", a, 1, "v", 7));
    }
    Files.writeString(
        dir.resolve(Manifest.FILE_NAME),
        "{\"v\":1,\"type\":\"file\",\"sou",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    try (Manifest m = Manifest.open(dir)) {
      assertThat(m.published()).containsOnlyKeys(a);
    }
  }

  @Test
  void aTornLastLineIsCutOffBeforeTheNextSessionAppends() throws Exception {
    RelativePath a = new RelativePath("a.bin");
    RelativePath b = new RelativePath("b.bin");
    try (Manifest m = Manifest.open(dir, "boot-1")) {
      m.appendFile(new Manifest.FileEntry("s", a, 1, "v", 7));
    }
    Path journal = dir.resolve(Manifest.FILE_NAME);
    String whole = Files.readString(journal);
    Files.writeString(
        journal,
        "{\"v\":1,\"type\":\"part\",\"sou",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    try (Manifest m = Manifest.open(dir, "boot-1")) {
      m.appendFile(new Manifest.FileEntry("s", b, 1, "v", 8));
    }
    String after = Files.readString(journal);
    assertThat(after).startsWith(whole).endsWith("\n").doesNotContain("\"sou{");
    assertThat(after.substring(whole.length())).startsWith("{\"v\":1,\"type\":\"session\"");
    try (Manifest m = Manifest.open(dir, "boot-1")) {
      assertThat(m.published()).containsOnlyKeys(a, b);
    }
  }

  @Test
  void aLineThatDoesNotParseEndsTrustUntilTheNextSessionLine() throws Exception {
    // What older versions left: a torn line merged with the next session's header.
    Files.writeString(
        dir.resolve(Manifest.FILE_NAME),
        """
        {"v":1,"type":"session","boot":"boot-1","durable":true}
        {"v":1,"type":"file","source":"s","path":"a.bin","size":1,"version":"v","mtime":7}
        {"v":1,"type":"part","sou{"v":1,"type":"session","boot":"boot-2","durable":false}
        {"v":1,"type":"file","source":"s","path":"b.bin","size":1,"version":"v","mtime":8}
        {"v":1,"type":"session","boot":"boot-3","durable":false}
        {"v":1,"type":"file","source":"s","path":"c.bin","size":1,"version":"v","mtime":9}
        """);
    try (Manifest m = Manifest.open(dir, "boot-3")) {
      assertThat(m.published())
          .containsOnlyKeys(new RelativePath("a.bin"), new RelativePath("c.bin"));
    }
  }

  @Test
  void compactionKeepsFilesAndCompletionsOnly() throws Exception {
    RelativePath a = new RelativePath("a.bin");
    try (Manifest m = Manifest.open(dir)) {
      m.appendParts(
          List.of(
              new Manifest.PartialEntry(
                  "s", new RelativePath("b"), 9, "v", List.of(new ByteRange(0, 1)))));
      m.appendFile(new Manifest.FileEntry("s", a, 1, "v", 7));
      m.compact(new Manifest.Completion("s", 1, 1, "now"), true);
    }
    List<String> lines = Files.readAllLines(dir.resolve(Manifest.FILE_NAME));
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).contains("\"type\":\"session\"").contains("\"durable\":true");
    assertThat(lines.get(1)).contains("\"type\":\"file\"");
    assertThat(lines.get(2)).contains("\"type\":\"complete\"");
    assertThat(lines.get(3)).contains("\"type\":\"session\"").contains("\"durable\":false");
    assertThat(dir.resolve(Manifest.TEMP_NAME)).doesNotExist();
    try (Manifest m = Manifest.open(dir)) {
      assertThat(m.completion("s")).isPresent();
    }
  }

  @Test
  void unforcedRecordsAreTrustedOnlyWithinTheSameBoot() throws Exception {
    RelativePath a = new RelativePath("a.bin");
    RelativePath b = new RelativePath("b.bin");
    try (Manifest m = Manifest.open(dir, "boot-1")) {
      m.appendFile(new Manifest.FileEntry("s", a, 1, "v", 7));
      m.compact(new Manifest.Completion("s", 1, 1, "now"), true);
      m.appendFile(new Manifest.FileEntry("s", b, 1, "v", 8));
      m.appendParts(
          List.of(
              new Manifest.PartialEntry(
                  "s", new RelativePath("c"), 9, "v", List.of(new ByteRange(0, 1)))));
    }
    try (Manifest sameBoot = Manifest.open(dir, "boot-1")) {
      assertThat(sameBoot.published()).containsOnlyKeys(a, b);
      assertThat(sameBoot.partial(new RelativePath("c"))).isPresent();
    }
    try (Manifest afterReboot = Manifest.open(dir, "boot-2")) {
      assertThat(afterReboot.published()).containsOnlyKeys(a);
      assertThat(afterReboot.partial(new RelativePath("c"))).isEmpty();
    }
  }

  @Test
  void aCompactionWithoutFsyncIsNotTrustedAfterAReboot() throws Exception {
    RelativePath a = new RelativePath("a.bin");
    try (Manifest m = Manifest.open(dir, "boot-1")) {
      m.appendFile(new Manifest.FileEntry("s", a, 1, "v", 7));
      m.compact(new Manifest.Completion("s", 1, 1, "now"), false);
    }
    try (Manifest afterReboot = Manifest.open(dir, "boot-2")) {
      assertThat(afterReboot.published()).isEmpty();
    }
  }
}
