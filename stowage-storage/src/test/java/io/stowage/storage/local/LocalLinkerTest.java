package io.stowage.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.transfer.PathFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLinkerTest {
  @TempDir Path src;
  @TempDir Path dest;

  @Test
  void linksTopLevelEntriesWithoutCopying() throws Exception {
    Files.writeString(src.resolve("config.json"), "{}");
    Files.createDirectories(src.resolve("tokenizer"));
    Files.writeString(src.resolve("tokenizer/vocab.txt"), "v");
    LocalLinker.Linked linked = LocalLinker.link(src, dest, PathFilter.all(), "pvc://c");
    assertThat(linked.links()).hasSize(2);
    assertThat(Files.isSymbolicLink(dest.resolve("config.json"))).isTrue();
    assertThat(Files.readSymbolicLink(dest.resolve("tokenizer")))
        .isEqualTo(src.resolve("tokenizer").toAbsolutePath());
    assertThat(Files.readString(dest.resolve("tokenizer/vocab.txt"))).isEqualTo("v");
  }

  @Test
  void aRerunLeavesExistingEntriesAlone() throws Exception {
    Files.writeString(src.resolve("a"), "1");
    Files.writeString(dest.resolve("a"), "mine");
    LocalLinker.Linked linked = LocalLinker.link(src, dest, PathFilter.all(), "/x");
    assertThat(linked.alreadyPresent()).isEqualTo(1);
    assertThat(Files.readString(dest.resolve("a"))).isEqualTo("mine");
  }

  @Test
  void aSingleFileIsLinkedByItsName() throws Exception {
    Path model = Files.writeString(src.resolve("model.onnx"), "m");
    LocalLinker.link(model, dest, PathFilter.all(), "/x/model.onnx");
    assertThat(Files.readString(dest.resolve("model.onnx"))).isEqualTo("m");
  }

  @Test
  void patternsApplyToTopLevelNamesAndReservedNamesAreSkipped() throws Exception {
    Files.writeString(src.resolve("a.json"), "1");
    Files.writeString(src.resolve("b.bin"), "2");
    Files.writeString(src.resolve(".stowage-manifest.jsonl"), "{}");
    LocalLinker.link(src, dest, new PathFilter(List.of("*.json", ".*"), List.of()), "/x");
    try (var s = Files.list(dest)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("a.json");
    }
  }

  @Test
  void anEmptySourceIsNotAModel() {
    assertThatThrownBy(() -> LocalLinker.link(src, dest, PathFilter.all(), "pvc://c/empty"))
        .isInstanceOf(StorageException.class)
        .hasMessage("Failed to fetch model. No model found in pvc://c/empty.")
        .satisfies(e -> assertThat(((StorageException) e).failure()).isEqualTo(Failure.NOT_FOUND));
  }
}
