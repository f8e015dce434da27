package io.stowage.cli.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quickstart runs what the planner renders for the S3 example, secrets resolved. */
class RenderedInitializerTest {
  @Test
  void theRenderedInitContainerBecomesArgsAndEnvironment() throws Exception {
    Path work = Path.of("/tmp/work");
    RenderedInitializer r = RenderedInitializer.render("127.0.0.1:9000", "AKID", "SECRET", work);
    assertThat(r.args())
        .containsExactly("s3://models/Qwen2.5-0.5B-Instruct", "/tmp/work/mnt/models");
    assertThat(r.env())
        .containsEntry("AWS_ACCESS_KEY_ID", "AKID")
        .containsEntry("AWS_SECRET_ACCESS_KEY", "SECRET")
        .containsEntry("S3_USE_HTTPS", "0")
        .containsEntry("S3_ENDPOINT", "127.0.0.1:9000")
        .containsEntry("AWS_ENDPOINT_URL", "http://127.0.0.1:9000");
    assertThat(r.shownEnv().toString()).doesNotContain("SECRET,", "=SECRET", "AKID");
    assertThat(r.secretName()).isEqualTo("minio-creds");
  }

  @Test
  void referencesToEarlierVariablesAreExpandedAsKubernetesDoes() {
    assertThat(
            RenderedInitializer.expand(
                "http://$(S3_ENDPOINT)/$(UNKNOWN)", Map.of("S3_ENDPOINT", "h:1")))
        .isEqualTo("http://h:1/$(UNKNOWN)");
  }
}
