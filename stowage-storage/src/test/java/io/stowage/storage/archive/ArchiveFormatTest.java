package io.stowage.storage.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArchiveFormatTest {
  @Test
  void recognizesEveryExtensionInAnyLetterCase() {
    assertThat(ArchiveFormat.ofFileName("model.tar")).contains(ArchiveFormat.TAR);
    assertThat(ArchiveFormat.ofFileName("model.tar.gz")).contains(ArchiveFormat.TAR_GZIP);
    assertThat(ArchiveFormat.ofFileName("MODEL.TAR.GZ")).contains(ArchiveFormat.TAR_GZIP);
    assertThat(ArchiveFormat.ofFileName("m.tgz")).contains(ArchiveFormat.TAR_GZIP);
    assertThat(ArchiveFormat.ofFileName("m.tar.bz2")).contains(ArchiveFormat.TAR_BZIP2);
    assertThat(ArchiveFormat.ofFileName("m.TBZ2")).contains(ArchiveFormat.TAR_BZIP2);
    assertThat(ArchiveFormat.ofFileName("m.tar.xz")).contains(ArchiveFormat.TAR_XZ);
    assertThat(ArchiveFormat.ofFileName("m.txz")).contains(ArchiveFormat.TAR_XZ);
    assertThat(ArchiveFormat.ofFileName("m.tar.zst")).contains(ArchiveFormat.TAR_ZSTD);
    assertThat(ArchiveFormat.ofFileName("m.Tar.Zst")).contains(ArchiveFormat.TAR_ZSTD);
    assertThat(ArchiveFormat.ofFileName("m.tzst")).contains(ArchiveFormat.TAR_ZSTD);
    assertThat(ArchiveFormat.ofFileName("x.zip")).contains(ArchiveFormat.ZIP);
    assertThat(ArchiveFormat.ofFileName("x.ZIP")).contains(ArchiveFormat.ZIP);
  }

  @Test
  void readsOnlyTheFileNameOfAPath() {
    assertThat(ArchiveFormat.ofFileName("/mnt/models/sub/model.tgz"))
        .contains(ArchiveFormat.TAR_GZIP);
    assertThat(ArchiveFormat.ofFileName("/mnt/models.zip/weights.bin")).isEmpty();
  }

  @Test
  void kserveHttpGzipQuirkNamesAPlainTar() {
    // KServe saves a gzip-encoded download of model.tar.gz as model.tar.gz.tar, decompressed.
    assertThat(ArchiveFormat.ofFileName("model.tar.gz.tar")).contains(ArchiveFormat.TAR);
  }

  @Test
  void otherFilesAreNotArchives() {
    for (String name :
        new String[] {
          "model.onnx",
          "model.onnx.gz",
          "weights.gz",
          "x.zst",
          "x.bz2",
          "tar",
          ".tar",
          ".zip",
          "model.tar.gz.part",
          "archive.7z",
          "x.taz",
          ""
        }) {
      assertThat(ArchiveFormat.ofFileName(name)).as(name).isEqualTo(Optional.empty());
    }
  }

  @Test
  void defaultLimits() {
    ArchiveLimits d = ArchiveLimits.defaults();
    assertThat(d.maxTotalBytes()).isEqualTo(1L << 40);
    assertThat(d.maxRatio()).isEqualTo(200.0);
    assertThat(d.maxEntries()).isEqualTo(1_000_000L);
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new ArchiveLimits(0, 200, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ArchiveLimits(10, 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ArchiveLimits(10, Double.NaN, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ArchiveLimits(10, 200, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new ArchiveLimits(10, Double.POSITIVE_INFINITY, 10).maxRatio()).isInfinite();
  }
}
