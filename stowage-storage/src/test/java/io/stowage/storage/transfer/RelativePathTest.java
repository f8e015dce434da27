package io.stowage.storage.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
