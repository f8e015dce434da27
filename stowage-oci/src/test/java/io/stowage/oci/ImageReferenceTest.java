package io.stowage.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  private static final String DIGEST =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @Test
  void parsesRegistryRepositoryTagAndDigest() {
    ImageReference r = ImageReference.parse("oci://quay.io/org/models/llm:v1.2");
    assertThat(r.registry()).isEqualTo("quay.io");
    assertThat(r.repository()).isEqualTo("org/models/llm");
    assertThat(r.tag()).contains("v1.2");
    assertThat(r.manifestReference()).isEqualTo("v1.2");

    ImageReference d = ImageReference.parse("oci://127.0.0.1:5000/llm:v1@" + DIGEST);
    assertThat(d.registry()).isEqualTo("127.0.0.1:5000");
    assertThat(d.manifestReference()).isEqualTo(DIGEST);
    assertThat(d.pinned(d.digest().orElseThrow())).isEqualTo("oci://127.0.0.1:5000/llm@" + DIGEST);
  }

  @Test
  void readsDockerHubNamesAsDockerDoesAndDefaultsToLatest() {
    ImageReference r = ImageReference.parse("busybox");
    assertThat(r.registry()).isEqualTo("docker.io");
    assertThat(r.repository()).isEqualTo("library/busybox");
    assertThat(r.tag()).isEqualTo(Optional.of("latest"));
    assertThat(r.apiHost()).isEqualTo("registry-1.docker.io");
    assertThat(ImageReference.parse("localhost:5000/m").registry()).isEqualTo("localhost:5000");
    assertThat(ImageReference.parse("oci+fetch://r.example/m:1").toString())
        .isEqualTo("oci://r.example/m:1");
  }

  @Test
  void refusesWhatIsNotAReference() {
    for (String bad :
        new String[] {
          "oci://quay.io/Org/Upper:v1",
          "oci://quay.io/",
          "s3://bucket/model",
          "oci://quay.io/m@sha512:abcd",
          "oci://quay.io/m:bad tag"
        }) {
      assertThatThrownBy(() -> ImageReference.parse(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.USAGE));
    }
  }

  @Test
  void indexesSelectThePlatform() {
    Descriptor amd =
        new Descriptor(
            MediaTypes.OCI_MANIFEST,
            Digest.of(new byte[] {1}),
            1,
            java.util.Map.of(),
            Optional.of(Platform.LINUX_AMD64));
    Descriptor arm =
        new Descriptor(
            MediaTypes.OCI_MANIFEST,
            Digest.of(new byte[] {2}),
            1,
            java.util.Map.of(),
            Optional.of(Platform.parse("linux/arm64/v8")));
    ImageIndex index = new ImageIndex(MediaTypes.OCI_INDEX, java.util.List.of(arm, amd));
    assertThat(index.select(Platform.LINUX_AMD64)).contains(amd);
    assertThat(index.select(Platform.parse("linux/arm64"))).contains(arm);
    assertThat(index.select(Platform.parse("linux/s390x"))).isEmpty();
  }
}
