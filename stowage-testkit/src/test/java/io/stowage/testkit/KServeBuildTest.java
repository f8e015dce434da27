package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KServeBuildTest {

  @TempDir Path dir;

  @Test
  void theEnvironmentNamesTheFolderThatCiBuilt() throws IOException {
    Path built = built(dir.resolve("ci"), "v0.20.0");

    assertThat(
            KServeBuild.find(
                new Properties(), Map.of(KServeBuild.ENVIRONMENT, built.toString()), dir))
        .map(KServeBuild::dir)
        .contains(built);
  }

  @Test
  void withoutItTheNewestVersionInTheCacheIsUsed() throws IOException {
    Path cache = dir.resolve("cache");
    built(cache.resolve("kserve/v0.9.1"), "v0.9.1");
    Path newest = built(cache.resolve("kserve/v0.20.0"), "v0.20.0");

    KServeBuild found =
        KServeBuild.find(new Properties(), Map.of("STOWAGE_CACHE", cache.toString()), dir)
            .orElseThrow();

    assertThat(found.dir()).isEqualTo(newest);
    assertThat(found.version()).isEqualTo("v0.20.0");
    assertThat(found.config().resolve("crd/full")).isDirectory();
  }

  @Test
  void aFolderWithoutKServesConfigIsNotUsed() throws IOException {
    Path incomplete = built(dir.resolve("incomplete"), "v0.20.0");
    Files.delete(incomplete.resolve("config/crd/full"));

    assertThat(
            KServeBuild.find(
                new Properties(), Map.of(KServeBuild.ENVIRONMENT, incomplete.toString()), dir))
        .isEmpty();
  }

  /** What e2e/kserve/build.sh leaves: the binary, config/ (a link there) and the version. */
  private static Path built(Path folder, String version) throws IOException {
    Files.createDirectories(folder.resolve("config/crd/full"));
    Path manager = folder.resolve("manager");
    Files.writeString(manager, "#!/bin/sh\n");
    Files.setPosixFilePermissions(manager, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(folder.resolve("version"), version + "\n");
    return folder;
  }
}
