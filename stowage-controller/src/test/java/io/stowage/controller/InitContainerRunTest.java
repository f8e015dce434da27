package io.stowage.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kubelet's reading of an init container that {@link KServeStowageInitializerIT} relies on:
 * {@code $(VAR)} of a variable defined earlier is expanded, anything else is kept, {@code $$} is a
 * literal {@code $} (so {@code $$(VAR)} stays {@code $(VAR)}).
 */
class InitContainerRunTest {
  private static String noSecrets(SecretKeySelector ref) {
    throw new AssertionError("no Secret is read here: " + ref.getName());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://$(S3_ENDPOINT)|http://minio:9000",
        "$(S3_ENDPOINT)/$(S3_ENDPOINT)|minio:9000/minio:9000",
        "$(LATER)|$(LATER)",
        "$$(S3_ENDPOINT)|$(S3_ENDPOINT)",
        "cost $$5|cost $5",
        "$(unclosed|$(unclosed",
        "plain|plain"
      })
  void expandsAsTheKubeletDoes(String value, String expected) {
    Map<String, String> defined = new LinkedHashMap<>();
    defined.put("S3_ENDPOINT", "minio:9000");
    assertThat(InitContainerRun.expand(value, defined)).isEqualTo(expected);
  }

  @Test
  void aContainerWithACommandWouldNotRunTheImagesEntrypoint() {
    Container c =
        new ContainerBuilder()
            .withName("storage-initializer")
            .withCommand("/bin/sh")
            .withArgs("s3://b/m", "/mnt/models")
            .build();
    assertThatThrownBy(() -> InitContainerRun.of(c, InitContainerRunTest::noSecrets))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sets a command");
  }

  @Test
  void valuesAndReferencesToEarlierValuesMakeTheEnvironment() {
    Container c =
        new ContainerBuilder()
            .withName("storage-initializer")
            .withArgs("s3://b/m", "/mnt/models")
            .addNewEnv()
            .withName("S3_ENDPOINT")
            .withValue("minio:9000")
            .endEnv()
            .addNewEnv()
            .withName("AWS_ENDPOINT_URL")
            .withValue("http://$(S3_ENDPOINT)")
            .endEnv()
            .build();
    InitContainerRun run = InitContainerRun.of(c, InitContainerRunTest::noSecrets);
    assertThat(run.environment()).containsEntry("AWS_ENDPOINT_URL", "http://minio:9000").hasSize(2);
    assertThat(run.pairs()).hasSize(1);
    assertThat(run.settings().s3().endpoint().orElseThrow().toString())
        .isEqualTo("http://minio:9000");
  }
}
