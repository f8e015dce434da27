package io.stowage.storage.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransferEngineMergeTest {
  @Test
  void mergesTouchingAndOverlappingRanges() {
    assertThat(
            TransferEngine.merge(
                List.of(
                    new ByteRange(10, 20),
                    new ByteRange(0, 10),
                    new ByteRange(30, 40),
                    new ByteRange(35, 50))))
        .containsExactly(new ByteRange(0, 20), new ByteRange(30, 50));
  }
}
