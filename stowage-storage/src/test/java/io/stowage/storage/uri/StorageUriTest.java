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
  void aKeyWithADotDotOrAnEmptySegmentIsAUsageErrorBeforeAnyRequest() {
    // These reached the store, whose 400 ended as exit 1 ("internal error").
    assertThatThrownBy(() -> StorageUri.parse("s3://models/../x"))
        .isInstanceOf(StorageException.class)
        .hasMessage(
            "Invalid S3 URI s3://models/../x: the key has a '..' path segment; write"
                + " s3://<bucket>/<prefix> with names between the slashes")
        .satisfies(e -> assertThat(((StorageException) e).failure()).isEqualTo(Failure.USAGE));
    assertThatThrownBy(() -> StorageUri.parse("s3://models//x"))
        .hasMessageContaining("an empty path segment");
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
  void aLocalPathNoFilesystemTakesIsAUsageError() {
    // Found by StorageUriFuzzTest: Path.of threw InvalidPathException past the usage errors.
    for (String uri : new String[] {"/models/a\0b", "file:///models/a\0b"}) {
      assertThatThrownBy(() -> StorageUri.parse(uri))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("is not a valid local path")
          .satisfies(e -> assertThat(((StorageException) e).failure()).isEqualTo(Failure.USAGE));
    }
  }

  @Test
  void emptyBucketIsRejected() {
    assertThatThrownBy(() -> StorageUri.parse("s3:///key")).hasMessageContaining("no bucket");
  }

  @Test
  void redactionHidesUserInfoAndQuery() {
    assertThat(StorageUri.parse("https://user:pw@host/x?sig=abc#token=t").display())
        .isEqualTo("https://***@host/x?sig=***#***");
  }

  @Test
  void parsesHuggingFaceUris() {
    assertThat(StorageUri.parse("hf://Qwen/Qwen2.5-0.5B-Instruct"))
        .isEqualTo(new HuggingFaceUri("Qwen", "Qwen2.5-0.5B-Instruct", java.util.Optional.empty()));
    HuggingFaceUri pinned = (HuggingFaceUri) StorageUri.parse("hf://org/model:v1.0");
    assertThat(pinned.revisionOrDefault()).isEqualTo("v1.0");
    assertThat(pinned.display()).isEqualTo("hf://org/model:v1.0");
    assertThatThrownBy(() -> StorageUri.parse("hf://just-a-model"))
        .hasMessageStartingWith(
            "Invalid Hugging Face URI format. Expected 'hf://owner/model[:revision]'");
    assertThatThrownBy(() -> StorageUri.parse("hf://a/b/c"))
        .hasMessageContaining("hf://owner/model[:revision]");
    assertThatThrownBy(() -> StorageUri.parse("hf://a/b:")).hasMessageContaining("empty revision");
  }

  @Test
  void parsesPvcAndLocalPaths() {
    assertThat(StorageUri.parse("pvc://model-pvc")).isEqualTo(new PvcUri("model-pvc", ""));
    assertThat(StorageUri.parse("pvc://model-pvc/models/Qwen"))
        .isEqualTo(new PvcUri("model-pvc", "models/Qwen"));
    assertThat(StorageUri.parse("/mnt/pvc/models")).isInstanceOf(LocalUri.class);
    assertThat(((LocalUri) StorageUri.parse("file:///data/m")).path())
        .isEqualTo(java.nio.file.Path.of("/data/m"));
    assertThatThrownBy(() -> StorageUri.parse("pvc:///x")).hasMessageContaining("no claim");
  }

  @Test
  void parsesHttpUrlsAndNamesWhatIsNotSupported() {
    assertThat(StorageUri.parse("https://example.com/models/model.onnx"))
        .isInstanceOf(HttpUri.class);
    assertThatThrownBy(() -> StorageUri.parse("https://acct.blob.core.windows.net/c/model"))
        .hasMessageContaining("Azure storage URIs are not supported");
    assertThatThrownBy(() -> StorageUri.parse("https://github.com/org/repo.git"))
        .hasMessageContaining("Git repositories are not supported");
    assertThat(StorageUri.parse("oci://registry/model:1"))
        .isEqualTo(new OciUri("registry/model:1"));
    assertThat(StorageUri.parse("oci+fetch://registry/model:1").display())
        .isEqualTo("oci://registry/model:1");
    assertThatThrownBy(() -> StorageUri.parse("oci+native://registry/model:1"))
        .hasMessageContaining("oci+native://");
    assertThat(StorageUri.parse("https://user:pw@host/x?sig=1").display())
        .isEqualTo("https://***@host/x?sig=***");
  }
}
