package io.stowage.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Docker config files ({@code auths}, base64 {@code auth}, {@code identitytoken}, {@code
 * credHelpers}, {@code credsStore}): any file gives a credential store whose answers for any
 * registry are credentials or a usage error (exit 2) on one line, never another exception. No
 * credential helper can be found (the search path is empty), so none runs. Corpus in {@code
 * DockerConfigFuzzTestInputs}.
 */
class DockerConfigFuzzTest {
  private static final String[] REGISTRIES = {
    "registry.example:5000", "docker.io", "index.docker.io", "127.0.0.1:5000", "ghcr.io"
  };
  private static Path dir;

  @BeforeAll
  static void directory() throws IOException {
    dir = Files.createTempDirectory("stowage-docker-config-fuzz");
  }

  @AfterAll
  static void cleanUp() throws IOException {
    Files.deleteIfExists(dir.resolve("config.json"));
    Files.delete(dir);
  }

  @FuzzTest(maxDuration = "20s")
  void anyConfigGivesCredentialsOrAUsageError(byte[] config) throws IOException {
    Path file = dir.resolve("config.json");
    Files.write(file, config);
    try {
      CredentialStore store = DockerConfig.load(file, List.of());
      for (String registry : REGISTRIES) {
        try {
          assertThat(store.forRegistry(registry)).isNotNull();
        } catch (StorageException e) {
          oneUsageLine(e);
        }
      }
    } catch (StorageException e) {
      oneUsageLine(e);
    }
  }

  private static void oneUsageLine(StorageException e) {
    assertThat(e.failure()).isIn(Failure.USAGE, Failure.AUTH);
    assertThat(e.getMessage()).doesNotContain("\n");
  }
}
