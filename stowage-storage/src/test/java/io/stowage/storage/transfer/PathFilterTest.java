package io.stowage.storage.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathFilterTest {
  @Test
  void starMatchesAcrossDirectoriesAsFnmatchDoes() {
    PathFilter f = new PathFilter(List.of("*.json"), List.of());
    assertThat(f.accepts("config.json")).isTrue();
    assertThat(f.accepts("sub/dir/tokenizer.json")).isTrue();
    assertThat(f.accepts("model.safetensors")).isFalse();
  }

  @Test
  void ignoreIsAppliedAfterAllow() {
    PathFilter f = new PathFilter(List.of("*"), List.of("*.bin", "original/*"));
    assertThat(f.accepts("model.safetensors")).isTrue();
    assertThat(f.accepts("pytorch_model.bin")).isFalse();
    assertThat(f.accepts("original/consolidated.pth")).isFalse();
  }

  @Test
  void emptyAllowListAllowsEverything() {
    PathFilter f = new PathFilter(List.of(), List.of("*.md"));
    assertThat(f.accepts("a/b.c")).isTrue();
    assertThat(f.accepts("README.md")).isFalse();
  }

  @Test
  void supportsQuestionMarkAndCharacterClasses() {
    assertThat(
            PathFilter.compile("model-0000?-of-0000[0-9].safetensors")
                .matcher("model-00001-of-00004.safetensors")
                .matches())
        .isTrue();
    assertThat(PathFilter.compile("[!a]*").matcher("abc").matches()).isFalse();
    assertThat(PathFilter.compile("[!a]*").matcher("bcd").matches()).isTrue();
    assertThat(PathFilter.compile("a.b").matcher("axb").matches()).isFalse();
    assertThat(PathFilter.compile("[unclosed").matcher("[unclosed").matches()).isTrue();
  }
}
