package io.stowage.storage.uri;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.stowage.common.UriRedaction;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.nio.charset.StandardCharsets;

/**
 * The URI grammar: any string either parses into a storage URI or is refused as a usage error (exit
 * 2) with a message that does not repeat a password it was given. Corpus in {@code
 * StorageUriFuzzTestInputs}; see docs/reliability.md for how it runs.
 */
class StorageUriFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void anyStringParsesOrIsAUsageError(byte[] input) {
    String uri = new String(input, StandardCharsets.UTF_8);
    String redacted = UriRedaction.redact(uri);
    assertThat(redacted).isNotNull();
    try {
      StorageUri parsed = StorageUri.parse(uri);
      assertThat(parsed).isNotNull();
    } catch (StorageException e) {
      assertThat(e.failure()).isIn(Failure.USAGE, Failure.UNSAFE_SOURCE);
      assertThat(e.getMessage()).doesNotContain("\n");
    }
  }
}
