package io.stowage.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

  @ParameterizedTest
  @CsvSource({
    "4096, 4096",
    "0, 0",
    "64Mi, 67108864",
    "64MiB, 67108864",
    "64 mib, 67108864",
    "1Ki, 1024",
    "2Gi, 2147483648",
    "1Ti, 1099511627776",
    "1Pi, 1125899906842624",
    // decimal, as Kubernetes reads M and G
    "32M, 32000000",
    "32MB, 32000000",
    "10G, 10000000000",
    "10g, 10000000000",
    "1k, 1000",
    "1K, 1000",
    "3T, 3000000000000",
    "' 5 Mi ', 5242880",
    "7B, 7",
    "8191Pi, 9222246136947933184"
  })
  void sizesReadAsKubernetesReadsQuantities(String text, long bytes) {
    assertThat(ByteSize.parse(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "Mi",
        "-1",
        "1.5Gi",
        "1e9",
        "64 Mi Mi",
        "64Xi",
        "0x10",
        "1,000",
        "8192Pi",
        "99999999999999999999",
        "9223372036854775808"
      })
  void anythingElseIsRefused(String text) {
    assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
