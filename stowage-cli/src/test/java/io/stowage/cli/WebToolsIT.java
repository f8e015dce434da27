package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.testkit.HttpFileServer;
import io.stowage.testkit.HubServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ls}, {@code pull} and {@code verify} on the web sources: Hugging Face and plain HTTP URLs.
 */
class WebToolsIT {
  private static final byte[] WEIGHTS = random(3 << 20, 17);
  private static final byte[] CONFIG =
      "{\"model_type\":\"qwen2\"}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;
  private HubServer hub;
  private HttpFileServer web;

  @BeforeEach
  void start() {
    hub = HubServer.start();
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("config.json", CONFIG);
    files.put("model.safetensors", WEIGHTS);
    hub.addRepo("Qwen/Tiny").lfsThreshold(1 << 20).commit("main", files);
    web = HttpFileServer.start();
    web.put("/models/model.onnx", WEIGHTS);
  }

  @AfterEach
  void stop() {
    hub.close();
    web.close();
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", tmp.toString());
    env.put("HF_ENDPOINT", hub.endpoint().toString());
    env.put("STOWAGE_FSYNC", "false");
    return env;
  }

  @Test
  void lsListsAHubRepositoryWithItsLfsDigestsAndPullThenVerifyAgree() throws Exception {
    String digest = sha256(WEIGHTS);
    Launcher.Result ls = Launcher.run(env(), "ls", "hf://Qwen/Tiny");
    assertThat(ls.exit()).as(ls.all()).isZero();
    assertThat(ls.stdout())
        .anyMatch(
            l ->
                l.matches(
                    "\\s*" + WEIGHTS.length + "  sha256:" + digest + "\\s+model\\.safetensors"))
        .anyMatch(l -> l.matches("\\s*" + CONFIG.length + "  \\S+\\s+config\\.json"));

    Path dest = tmp.resolve("dest");
    Launcher.Result pull = Launcher.run(env(), "pull", "hf://Qwen/Tiny", dest.toString());
    assertThat(pull.exit()).as(pull.all()).isZero();
    assertThat(Files.readAllBytes(dest.resolve("model.safetensors"))).isEqualTo(WEIGHTS);

    Launcher.Result verify = Launcher.run(env(), "verify", dest.toString(), "hf://Qwen/Tiny");
    assertThat(verify.exit()).as(verify.all()).isZero();
    assertThat(verify.stdout()).last().asString().startsWith("OK: ");
  }

  @Test
  void lsOfAnHttpFileGivesItsSizeAndAMissingOneFailsWithOneLine() throws Exception {
    Launcher.Result ls = Launcher.run(env(), "ls", web.url("/models/model.onnx").toString());
    assertThat(ls.exit()).as(ls.all()).isZero();
    assertThat(ls.stdout())
        .anyMatch(l -> l.matches("\\s*" + WEIGHTS.length + "  \\S+\\s+model\\.onnx"));

    Launcher.Result missing = Launcher.run(env(), "ls", web.url("/models/none.onnx").toString());
    assertThat(missing.exit()).as(missing.all()).isEqualTo(4);
    assertThat(missing.stdout()).isEmpty();
    assertThat(missing.stderr()).hasSize(1);
    assertThat(missing.lastErrLine()).startsWith("stowage ls: ");
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt();
    }
    return b;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
