package io.stowage.storage.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void decodesKeysWhoseCharactersTakeMoreBytesThanTheEscapes() {
    // Found by S3XmlFuzzTest: the output buffer was sized in chars, and each surrogate was
    // encoded alone (as '?').
    assertThat(PercentEncoding.decode("€€%41")).isEqualTo("€€A");
    assertThat(PercentEncoding.decode("\uD83D\uDE00/%C3%A9")).isEqualTo("\uD83D\uDE00/é");
  }

  @Test
  void refusesAMalformedEscape() {
    assertThatThrownBy(() -> PercentEncoding.decode("a%j.b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PercentEncoding.decode("a%4"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
