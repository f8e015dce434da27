package io.stowage.storage.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.generators.SourceDSL;

class RelativePathTest {
  @Test
  void resolvesUnderTheRoot() {
    Path root = Path.of("/mnt/models");
    assertThat(new RelativePath("a/b.bin").resolveUnder(root))
        .isEqualTo(Path.of("/mnt/models/a/b.bin"));
  }

  @Test
  void rejectsNonCanonicalValues() {
    for (String bad : new String[] {"", "/a", "a/", "a//b", "a/../b", "./a", "a\0b"}) {
      assertThatThrownBy(() -> new RelativePath(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void fromSourceRefusesDotDotAndNul() {
    assertThatThrownBy(() -> RelativePath.fromSource("a/../../x", "key x"))
        .isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> RelativePath.fromSource("a\0b", "key x"))
        .isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> RelativePath.fromSource("//./", "key x"))
        .isInstanceOf(StorageException.class);
  }

  @Test
  void fromSourceRefusesANameLongerThanAFileNameMayBe() {
    String key = "models/" + "x".repeat(300) + ".bin";
    assertThatThrownBy(() -> RelativePath.fromSource(key, "key '" + key + "' of s3://b/models"))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.UNSAFE_SOURCE))
        .hasMessageStartingWith("Refusing key '" + key + "' of s3://b/models: ")
        .hasMessageContaining("304 bytes")
        .hasMessageContaining("255")
        .hasMessageNotContaining("\n");
  }

  @Test
  void fileNameLengthsAreCountedInBytesOfUtf8() {
    assertThat(RelativePath.fromSource("é".repeat(127), "k").value()).hasSize(127);
    assertThatThrownBy(() -> RelativePath.fromSource("é".repeat(128), "k"))
        .hasMessageContaining("256 bytes");
  }

  @Test
  void fromSourceRefusesAPathLongerThanAnyPathMayBe() {
    String deep = ("d".repeat(200) + "/").repeat(21) + "f";
    assertThatThrownBy(() -> RelativePath.fromSource(deep, "key k"))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.UNSAFE_SOURCE))
        .hasMessageContaining("4095");
  }

  @Test
  void noSourceNameEverResolvesOutsideTheRoot() {
    Path root = Path.of("/mnt/models");
    QuickTheory.qt()
        .withExamples(5000)
        .forAll(SourceDSL.strings().ascii().ofLengthBetween(1, 30))
        .checkAssert(
            raw -> {
              RelativePath p;
              try {
                p = RelativePath.fromSource(raw.replace('\\', '/'), "test");
              } catch (StorageException refused) {
                return;
              }
              Path resolved = p.resolveUnder(root).normalize();
              assertThat(resolved.startsWith(root)).as("%s -> %s", raw, resolved).isTrue();
              assertThat(resolved).isNotEqualTo(root);
            });
  }
}
