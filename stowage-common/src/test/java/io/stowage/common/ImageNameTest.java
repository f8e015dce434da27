package io.stowage.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageNameTest {
  private static final String HEX = "0123456789abcdef".repeat(4);

  @Test
  void aNameWithoutARegistryIsDockerHubsAsDockerReadsIt() {
    assertThat(ImageName.parse("busybox:latest"))
        .isEqualTo(
            new ImageName("docker.io", "library/busybox", Optional.of("latest"), Optional.empty()));
    assertThat(ImageName.parse("org/model").repository()).isEqualTo("org/model");
    assertThat(ImageName.parse("org/model").registry()).isEqualTo("docker.io");
  }

  @Test
  void aFirstSegmentWithADotAColonOrLocalhostIsTheRegistry() {
    assertThat(ImageName.parse("Quay.IO/org/model:v1").registry()).isEqualTo("quay.io");
    assertThat(ImageName.parse("localhost:5000/m@sha256:" + HEX))
        .isEqualTo(
            new ImageName("localhost:5000", "m", Optional.empty(), Optional.of("sha256:" + HEX)));
    assertThat(ImageName.parse("localhost/m:v1").registry()).isEqualTo("localhost");
    assertThat(ImageName.parse("[::1]:5000/m:v1").registry()).isEqualTo("[::1]:5000");
  }

  @Test
  void digestsAreHeldToTheImageSpec() {
    assertThat(ImageName.parse("m@sha512:" + HEX + HEX).digest()).isPresent();
    assertThat(
            ImageName.parse("m@multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8")
                .digest())
        .isPresent();
    assertThatThrownBy(() -> ImageName.parse("m@sha256:" + HEX.toUpperCase(java.util.Locale.ROOT)))
        .hasMessageContaining("is not a digest");
    assertThatThrownBy(() -> ImageName.parse("m@sha256:abc"))
        .hasMessageContaining("is not a digest");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "quay.io/",
        "quay.io/Org/m:v1",
        "quay.io/org/-m:v1",
        "quay.io/org/m:v1:v2",
        "quay.io/org/m:-v1",
        "bad_host.io:5000/m:v1",
        "quay.io:123456/m:v1",
        "quay.io/org/m@v1",
        "quay.io/org/m:v1?token=abc",
        "quay.io/org/m:v1#frag",
        "quay.io/org/m: v1",
        "quay.io/org/m:v1\n"
      })
  void whatTheGrammarRefuses(String reference) {
    assertThatThrownBy(() -> ImageName.parse(reference))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRefusalNeverQuotesWhatMayBeAToken() {
    assertThatThrownBy(() -> ImageName.parse("quay.io/org/m:v1?token=s3cr3t"))
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void aRepositoryOver255CharactersIsRefused() {
    assertThat(ImageName.parse("quay.io/" + "a".repeat(255) + ":v1").repository()).hasSize(255);
    assertThatThrownBy(() -> ImageName.parse("quay.io/" + "a".repeat(256) + ":v1"))
        .hasMessageContaining("is not a valid repository name");
  }
}
