package io.stowage.storage.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import org.junit.jupiter.api.Test;

class StorageUriTest {
  @Test
  void parsesS3UrisKeepingTheTrailingSlash() {
    assertThat(StorageUri.parse("s3://models/Qwen2.5-0.5B-Instruct"))
        .isEqualTo(new S3Uri("models", "Qwen2.5-0.5B-Instruct"));
    assertThat(StorageUri.parse("s3://models/a/")).isEqualTo(new S3Uri("models", "a/"));
    assertThat(StorageUri.parse("S3://models")).isEqualTo(new S3Uri("models", ""));
    assertThat(((S3Uri) StorageUri.parse("s3://models/")).isWholeBucket()).isTrue();
  }

  @Test
  void unknownSchemesGetKservesMessage() {
    assertThatThrownBy(() -> StorageUri.parse("ftp://x/y"))
        .isInstanceOf(StorageException.class)
        .hasMessageStartingWith("Cannot recognize storage type for ftp://x/y")
        .satisfies(e -> assertThat(((StorageException) e).failure()).isEqualTo(Failure.USAGE));
  }

  @Test
  void knownButUnsupportedSchemesSaySo() {
    assertThatThrownBy(() -> StorageUri.parse("gs://bucket/model"))
        .hasMessageContaining("gs:// is not supported by Stowage yet");
    assertThatThrownBy(() -> StorageUri.parse("hdfs://nn/model")).hasMessageContaining("hdfs://");
  }

  @Test
  void emptyBucketIsRejected() {
    assertThatThrownBy(() -> StorageUri.parse("s3:///key")).hasMessageContaining("no bucket");
  }

  @Test
  void redactionHidesUserInfoAndQuery() {
    assertThat(Redaction.redact("https://user:pw@host/x?sig=abc"))
        .isEqualTo("https://***@host/x?***");
  }
}
