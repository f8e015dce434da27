package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.common.UriRedaction;
import io.stowage.oci.ImageReference;
import io.stowage.serving.storage.ModelUri;
import io.stowage.storage.StorageException;
import io.stowage.storage.uri.OciUri;
import io.stowage.storage.uri.StorageUri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The same URIs fed to the three places that read them: the initializer's parser ({@code
 * StorageUri}, which {@code initialize}, {@code ls} and {@code verify} use), the model tools' image
 * references ({@code ImageReference}: {@code pull}, {@code pack}, {@code ls oci://}) and the
 * planner ({@code ModelUri}: {@code render} and the controller). They must agree on what is a URI
 * and show it redacted alike; before they shared {@code ImageName} the initializer refused {@code
 * oci://busybox:latest}, which the other two accept.
 */
class OneGrammarTest {
  private static final String SHA256 =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest(name = "{0} accepted: {1}")
  @CsvSource({
    "oci://busybox:latest, true",
    "oci://busybox, true",
    "oci://library/busybox:1.37, true",
    "oci://quay.io/org/model:v1, true",
    "oci://localhost:5000/models/qwen:v1, true",
    "oci://registry.example.com/a/b/c:tag, true",
    "oci://[::1]:5000/m:v1, true",
    "oci://quay.io/org/model@" + SHA256 + ", true",
    "oci://quay.io/org/model:v1@" + SHA256 + ", true",
    "oci://, false",
    "oci://quay.io/, false",
    "oci://quay.io/Org/Model:v1, false",
    "oci://quay.io/org/-model:v1, false",
    "oci://quay.io/org/model:v1:v2, false",
    "oci://quay.io/org/model:v1?token=s3cr3t, false",
    "oci://quay.io/org/model@sha256:ABC, false",
    "oci://quay.io/org/model@sha256:"
        + "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"
        + ", false",
    "oci://bad_host.io:99999/m:v1, false",
  })
  void theInitializerTheToolsAndThePlannerAgreeOnImageReferences(String uri, boolean accepted) {
    assertThat(initializerAccepts(uri)).as("initializer").isEqualTo(accepted);
    assertThat(toolsAccept(uri)).as("model tools").isEqualTo(accepted);
    assertThat(plannerAccepts(uri)).as("planner").isEqualTo(accepted);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "s3://models/qwen, true",
    "s3://models, true",
    "s3://, false",
    "s3://models/../x, false",
    "s3://models//x, false",
    "s3://models/a/./b, false",
    "s3://models/qwen/, true",
    "pvc://claim/sub/path, true",
    "pvc://, false",
    "hf://Qwen/Qwen2.5-0.5B, true",
    "https://user:pw@models.example.com/m.tar.gz?X-Amz-Signature=abc, true",
  })
  void theInitializerAndThePlannerAgreeOnOtherSchemes(String uri, boolean accepted) {
    assertThat(initializerAccepts(uri)).as("initializer").isEqualTo(accepted);
    assertThat(plannerAccepts(uri)).as("planner").isEqualTo(accepted);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "https://user:pw@models.example.com/m.tar.gz?X-Amz-Signature=abc",
    "oci://quay.io/org/model:v1",
    "s3://models/qwen",
  })
  void anAcceptedUriIsShownAsEveryMessageShowsIt(String uri) {
    assertThat(StorageUri.parse(uri).display()).isEqualTo(UriRedaction.redact(uri));
  }

  @Test
  void aRefusedUriIsShownRedactedByAllThree() {
    String uri = "oci://quay.io/org/model:v1?token=s3cr3t";
    assertThatThrownBy(() -> StorageUri.parse(uri))
        .hasMessageNotContaining("s3cr3t")
        .hasMessageContaining(UriRedaction.redact(uri));
    assertThatThrownBy(() -> ImageReference.parse(uri))
        .hasMessageNotContaining("s3cr3t")
        .hasMessageContaining(UriRedaction.redact(uri));
    assertThatThrownBy(() -> ModelUri.parse(uri, false))
        .hasMessageNotContaining("s3cr3t")
        .hasMessageContaining(UriRedaction.redact(uri));
  }

  @Test
  void aSha512DigestIsWellFormedEverywhereButOnlyTheKubeletCanPullIt() {
    // Deliberate: the planner hands the image to the kubelet, which verifies any OCI digest;
    // Stowage's own pull verifies SHA-256 only and says so, at parse time, before any I/O.
    String uri = "oci://quay.io/org/model@sha512:" + "ab".repeat(64);
    assertThat(initializerAccepts(uri)).isTrue();
    assertThat(plannerAccepts(uri)).isTrue();
    assertThatThrownBy(() -> ImageReference.parse(uri)).hasMessageContaining("only sha256");
  }

  private static boolean initializerAccepts(String uri) {
    try {
      StorageUri.parse(uri);
      return true;
    } catch (StorageException e) {
      return false;
    }
  }

  private static boolean toolsAccept(String uri) {
    try {
      StorageUri parsed = StorageUri.parse(uri);
      if (!(parsed instanceof OciUri)) {
        return false;
      }
    } catch (StorageException e) {
      // the tools read the URI with the initializer's parser first; go on to see what
      // ImageReference alone says
    }
    try {
      ImageReference.parse(uri);
      return true;
    } catch (StorageException e) {
      return false;
    }
  }

  private static boolean plannerAccepts(String uri) {
    try {
      ModelUri.parse(uri, false);
      return true;
    } catch (ModelUri.InvalidUriException e) {
      return false;
    }
  }
}
