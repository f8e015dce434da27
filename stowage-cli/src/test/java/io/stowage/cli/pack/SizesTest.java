package io.stowage.cli.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.storage.StorageException;
import org.junit.jupiter.api.Test;

class SizesTest {

  @Test
  void packReadsSizesAsTheInitializersSettingsDo() {
    assertThat(Sizes.parse("--max-layer-size", "10G")).isEqualTo(10_000_000_000L);
    assertThat(Sizes.parse("--max-layer-size", "10Gi")).isEqualTo(10L << 30);
    assertThat(Sizes.parse("--large-file-size", "16Mi")).isEqualTo(16L << 20);
    assertThat(Sizes.parse("--large-file-size", "4096")).isEqualTo(4096);
  }

  @Test
  void zeroOrNoSizeIsAUsageError() {
    for (String bad : new String[] {"0", "-1", "ten", "1.5G", "99999999999999Pi"}) {
      assertThatThrownBy(() -> Sizes.parse("--max-layer-size", bad))
          .isInstanceOf(StorageException.class)
          .hasMessage(
              "--max-layer-size must be a positive size such as 16Mi or 10G (10^9), not '"
                  + bad
                  + "'");
    }
  }
}
