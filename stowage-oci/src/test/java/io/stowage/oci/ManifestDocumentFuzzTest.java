package io.stowage.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Map;

/**
 * OCI and Docker manifests, indexes and the JSON reader under them (also used for image configs,
 * token answers and registry error bodies): any bytes parse into a document whose descriptors are
 * well formed, or are refused with an IllegalArgumentException, which the registry client turns
 * into one line (exit 6). The first byte picks the response's Content-Type. Corpus in {@code
 * ManifestDocumentFuzzTestInputs}.
 */
class ManifestDocumentFuzzTest {
  private static final String[] CONTENT_TYPES = {
    MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST, "", "text/plain"
  };

  @FuzzTest(maxDuration = "20s")
  void anyDocumentParsesOrIsRefused(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String type = CONTENT_TYPES[(input[0] & 0xff) % CONTENT_TYPES.length];
    byte[] json = Arrays.copyOfRange(input, 1, input.length);
    try {
      ManifestDocument doc = ManifestDocument.parse(json, type);
      if (doc instanceof ImageManifest m) {
        assertThat(m.layers()).doesNotContainNull();
      } else if (doc instanceof ImageIndex i) {
        assertThat(i.manifests()).doesNotContainNull();
      }
    } catch (IllegalArgumentException e) {
      // Refused: "is not a valid image manifest: ..."
    }
    try {
      Map<String, Object> o = Json.parseObject(json);
      Json.string(o, "token");
      Json.number(o, "expires_in");
      Json.objects(o, "errors").forEach(e -> Json.string(e, "code"));
      Json.strings(o, "annotations");
    } catch (IllegalArgumentException e) {
      // Refused as invalid JSON.
    }
  }
}
