package io.stowage.controller.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.controller.Fixtures;
import io.stowage.controller.MockCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The CRDs in {@code deploy/crds} are the ones the build generates from the Java types: a change to
 * a type without copying the new CRD fails here, with the command that fixes it.
 */
class CrdDriftTest {
  @Test
  void checkedInCrdsAreTheGeneratedOnes() throws IOException {
    for (String file : MockCluster.CRDS) {
      String generated;
      try (InputStream in =
          Objects.requireNonNull(
              getClass().getClassLoader().getResourceAsStream(MockCluster.CRD_DIR + file))) {
        generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Path copy = Fixtures.deploy().resolve("crds/" + file.replace("-v1.yml", ".yaml"));
      assertThat(Files.exists(copy)).as(copy + " exists").isTrue();
      assertThat(Files.readString(copy))
          .as(
              "%s differs from the CRD generated from the Java types; run: cp"
                  + " stowage-controller/target/classes/%s%s %s",
              copy, MockCluster.CRD_DIR, file, copy)
          .isEqualTo(generated);
    }
  }

  @Test
  void theKustomizationListsEveryCrd() throws IOException {
    String kustomization = Files.readString(Fixtures.deploy().resolve("kustomization.yaml"));
    for (String file : MockCluster.CRDS) {
      assertThat(kustomization).contains("crds/" + file.replace("-v1.yml", ".yaml"));
    }
  }
}
