package io.stowage.storage.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentEncodingTest {
  @Test
  void pathKeepsSlashesAndEncodesEverythingElseButUnreserved() {
    assertThat(PercentEncoding.path("a b/c+d/é~_.-x")).isEqualTo("a%20b/c%2Bd/%C3%A9~_.-x");
  }

  @Test
  void queryEncodesSlashes() {
    assertThat(PercentEncoding.query("models/llm v1")).isEqualTo("models%2Fllm%20v1");
  }

  @Test
  void decodesUrlEncodedListingKeys() {
    assertThat(PercentEncoding.decode("a%20b/%C3%A9+c")).isEqualTo("a b/é+c");
  }
}
