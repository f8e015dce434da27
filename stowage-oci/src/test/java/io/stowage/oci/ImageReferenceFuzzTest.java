package io.stowage.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code oci://} reference grammar (registry, repository, tag, digest): any string parses into
 * a reference that prints back to one that parses to the same, or is a usage error (exit 2) on one
 * line. Corpus in {@code ImageReferenceFuzzTestInputs}.
 */
class ImageReferenceFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void anyReferenceParsesAndRoundTripsOrIsAUsageError(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    ImageReference ref;
    try {
      ref = ImageReference.parse(text);
    } catch (StorageException e) {
      assertThat(e.failure()).isEqualTo(Failure.USAGE);
      assertThat(e.getMessage()).doesNotContain("\n");
      return;
    }
    assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
  }
}
