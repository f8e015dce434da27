package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.testkit.HttpFileServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the packaged launcher passes on to the JVM. KServe's {@code <host>-headers} variables have
 * names that are not shell identifiers ({@code models.example.com-headers}); a POSIX shell such as
 * Debian's dash drops those from the environment it hands to {@code exec}, so the credentials they
 * hold would never reach the server. Only a run of the real {@code bin/stowage} can show it.
 */
class LauncherEnvironmentIT {
  private static final byte[] MODEL = "weights".getBytes(StandardCharsets.UTF_8);
  private static final String TOKEN = "Bearer launcher-token-7";

  @TempDir Path tmp;
  private HttpFileServer web;

  @BeforeEach
  void start() {
    web = HttpFileServer.start();
    web.put("/private/model.bin", MODEL);
    web.requireHeader("/private/*", "Authorization", TOKEN);
  }

  @AfterEach
  void stop() {
    web.close();
  }

  @Test
  void aHostHeadersVariableWhoseNameIsNotAnIdentifierReachesTheServer() throws Exception {
    String host = web.endpoint().getHost();
    Path dest = tmp.resolve("dest");
    Launcher.Result r =
        Launcher.run(
            Map.of(
                "HOME",
                tmp.toString(),
                "STOWAGE_FSYNC",
                "false",
                host + "-headers",
                "{\"Authorization\":\"" + TOKEN + "\"}"),
            "initialize",
            web.url("/private/model.bin").toString(),
            dest.toString());
    assertThat(r.exit()).as(r.all()).isZero();
    assertThat(Files.readAllBytes(dest.resolve("model.bin"))).isEqualTo(MODEL);
    assertThat(r.all()).doesNotContain("launcher-token-7");
  }
}
