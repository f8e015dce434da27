package io.stowage.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {
  @TempDir Path tmp;

  @Test
  void readsAuthsInEveryFormDockerWrites() throws Exception {
    String auth =
        Base64.getEncoder()
            .encodeToString("alice:s3cret:with:colons".getBytes(StandardCharsets.UTF_8));
    Path file = tmp.resolve("config.json");
    Files.writeString(
        file,
        "{\"auths\":{"
            + "\"https://registry.example:5000/v1/\":{\"auth\":\""
            + auth
            + "\"},"
            + "\"plain.example\":{\"username\":\"bob\",\"password\":\"pw\"},"
            + "\"https://index.docker.io/v1/\":{\"auth\":\""
            + Base64.getEncoder().encodeToString("hub:tok".getBytes(StandardCharsets.UTF_8))
            + "\"},"
            + "\"acr.example\":{\"identitytoken\":\"refresh-token\"}}}");
    CredentialStore store = DockerConfig.load(file, List.of());
    assertThat(store.forRegistry("registry.example:5000"))
        .isEqualTo(new Credentials.Basic("alice", "s3cret:with:colons"));
    assertThat(store.forRegistry("plain.example")).isEqualTo(new Credentials.Basic("bob", "pw"));
    assertThat(store.forRegistry("docker.io")).isEqualTo(new Credentials.Basic("hub", "tok"));
    assertThat(store.forRegistry("acr.example"))
        .isEqualTo(new Credentials.IdentityToken("refresh-token"));
    assertThat(store.forRegistry("other.example")).isInstanceOf(Credentials.Anonymous.class);
    assertThat(store.forRegistry("registry.example:5000").toString()).doesNotContain("s3cret");
  }

  @Test
  void asksCredentialHelpersThatExistAndSkipsThoseThatDoNot() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path helper = bin.resolve("docker-credential-fake");
    Files.writeString(
        helper,
        "#!/bin/sh\n"
            + "read server\n"
            + "[ \"$1\" = get ] && [ \"$server\" = helped.example ] && echo"
            + " '{\"ServerURL\":\"helped.example\",\"Username\":\"carol\",\"Secret\":\"from-helper\"}'"
            + " && exit 0\n"
            + "echo 'credentials not found' ; exit 1\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path file = tmp.resolve("config.json");
    Files.writeString(
        file,
        "{\"credHelpers\":{\"helped.example\":\"fake\",\"missing.example\":\"not-installed\"},"
            + "\"auths\":{\"missing.example\":{\"auth\":\""
            + Base64.getEncoder().encodeToString("dave:fallback".getBytes(StandardCharsets.UTF_8))
            + "\"}}}");
    CredentialStore store = DockerConfig.load(file, List.of(bin));
    assertThat(store.forRegistry("helped.example"))
        .isEqualTo(new Credentials.Basic("carol", "from-helper"));
    assertThat(store.forRegistry("missing.example"))
        .isEqualTo(new Credentials.Basic("dave", "fallback"));
  }

  @Test
  void aMissingFileMeansAnonymous() {
    assertThat(DockerConfig.load(tmp.resolve("nope.json"), List.of()).forRegistry("x.example"))
        .isInstanceOf(Credentials.Anonymous.class);
  }

  @Test
  void aConfigThatIsNotJsonIsOneUsageLineWithTheParsersPosition(@TempDir Path dir)
      throws IOException {
    // Found by DockerConfigFuzzTest: Jackson's message puts the location on a second line.
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"auths");
    assertThatThrownBy(() -> DockerConfig.load(file, List.of()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("is not valid JSON: Unexpected end-of-input")
        .hasMessageContaining("line 1, column")
        .hasMessageNotContaining("\n");
  }
}
