package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeBinariesTest {

  @TempDir Path dir;

  @Test
  void theSystemPropertyComesBeforeTheEnvironment() throws IOException {
    Path fromProperty = built(dir.resolve("property"));
    Properties properties = new Properties();
    properties.setProperty(KubeBinaries.PROPERTY, fromProperty.toString());

    Optional<KubeBinaries> found =
        KubeBinaries.find(
            properties,
            Map.of(KubeBinaries.ENVIRONMENT, built(dir.resolve("env")).toString()),
            dir);

    assertThat(found).map(KubeBinaries::dir).contains(fromProperty);
  }

  @Test
  void withoutEitherTheNewestVersionInTheBuildCacheIsUsed() throws IOException {
    Path cache = dir.resolve("cache");
    built(cache.resolve("k8s/k8s/1.9.10-linux-amd64"));
    Path newest = built(cache.resolve("k8s/k8s/1.37.2-linux-amd64"));
    built(cache.resolve("k8s/k8s/1.36.3-linux-amd64"));

    Optional<KubeBinaries> found =
        KubeBinaries.find(new Properties(), Map.of("STOWAGE_CACHE", cache.toString()), dir);

    assertThat(found).map(KubeBinaries::dir).contains(newest);
    assertThat(found.orElseThrow().version()).isEqualTo("1.37.2");
  }

  @Test
  void theDefaultCacheIsUnderTheHomeDirectory() throws IOException {
    Path version = built(dir.resolve(".cache/stowage/k8s/k8s/1.37.2-linux-amd64"));

    assertThat(KubeBinaries.find(new Properties(), Map.of(), dir))
        .map(KubeBinaries::dir)
        .contains(version);
  }

  @Test
  void aFolderWithABinaryMissingIsNotUsed() throws IOException {
    Path incomplete = built(dir.resolve("incomplete"));
    Files.delete(incomplete.resolve("kube-controller-manager"));

    assertThat(
            KubeBinaries.find(
                new Properties(), Map.of(KubeBinaries.ENVIRONMENT, incomplete.toString()), dir))
        .isEmpty();
  }

  private static Path built(Path folder) throws IOException {
    Files.createDirectories(folder);
    for (String name : KubeBinaries.NEEDED) {
      Path binary = folder.resolve(name);
      Files.writeString(binary, "#!/bin/sh\n");
      Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return folder.toAbsolutePath().normalize();
  }
}
