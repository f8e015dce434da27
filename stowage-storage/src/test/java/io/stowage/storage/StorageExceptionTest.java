package io.stowage.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorageExceptionTest {
  @Test
  void aFailureIsAlwaysOneLineWhateverItQuotes() {
    // Found by ImageReferenceFuzzTest and DockerConfigFuzzTest: a quoted reference, or a JSON
    // parser's location on a second line, made a multi-line termination message.
    StorageException e =
        StorageException.usage("Invalid image reference 'a\nb\r\tc\u0000d': x\n at [Source: 1]");
    assertThat(e.getMessage()).isEqualTo("Invalid image reference 'a b  c?d': x  at [Source: 1]");
  }
}
