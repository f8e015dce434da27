package io.stowage.storage.initializer;

import static io.stowage.storage.initializer.InitializerHarness.allEntries;
import static io.stowage.storage.initializer.InitializerHarness.files;
import static io.stowage.storage.initializer.InitializerHarness.random;
import static io.stowage.storage.initializer.InitializerHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.storage.Failure;
import io.stowage.testkit.HubServer;
import io.stowage.testkit.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hf://owner/model[:revision] against a Hub-API-compatible server on loopback. */
class HuggingFaceDownloadTest {
  @TempDir Path tmp;
  private HubServer hub;
  private Map<String, byte[]> v1;

  @BeforeEach
  void start() {
    hub = HubServer.start();
    v1 = new LinkedHashMap<>();
    v1.put("config.json", "{\"model_type\":\"qwen2\"}".getBytes(StandardCharsets.UTF_8));
    v1.put("tokenizer/tokenizer.json", "{\"v\":1}".getBytes(StandardCharsets.UTF_8));
    v1.put("model-00001-of-00002.safetensors", random(3 * 1024 * 1024, 1));
    v1.put("model-00002-of-00002.safetensors", random(2 * 1024 * 1024 + 5, 2));
    hub.addRepo("Qwen/Tiny").lfsPatterns("*.safetensors").commit("main", v1);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("HF_ENDPOINT", hub.endpoint().toString());
    env.put("STOWAGE_PART_SIZE", "1Mi");
    return env;
  }

  private void assertContents(Path dest, Map<String, byte[]> expected) throws Exception {
    assertThat(files(dest)).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (var e : expected.entrySet()) {
      assertThat(Files.readAllBytes(dest.resolve(e.getKey())))
          .as(e.getKey())
          .isEqualTo(e.getValue());
    }
    assertThat(allEntries(dest)).noneMatch(n -> n.startsWith(".cache") || n.endsWith(".partial"));
  }

  @Test
  void downloadsAPublicRepositoryVerifyingEveryFile() throws Exception {
    hub.useSeparateCdnOrigin();
    Map<String, String> e = env();
    e.put("HF_TOKEN", "hf_public_reader");
    hub.addToken("hf_public_reader");
    Path dest = tmp.resolve("models");
    var r = run(e, "hf://Qwen/Tiny", dest.toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertContents(dest, v1);
    assertThat(hub.requests())
        .filteredOn(q -> q.path().startsWith("/cdn/"))
        .isNotEmpty()
        .noneMatch(RecordedRequest::hasAuthorization);
    assertThat(r.log()).doesNotContain("hf_public_reader");
  }

  @Test
  void aRevisionPinsTheFilesOfThatCommit() throws Exception {
    HubServer.Repo repo = hub.repo("Qwen/Tiny");
    repo.tag("v1", "main");
    Map<String, byte[]> v2 = new LinkedHashMap<>(v1);
    v2.put("config.json", "{\"model_type\":\"qwen2\",\"v\":2}".getBytes(StandardCharsets.UTF_8));
    v2.remove("tokenizer/tokenizer.json");
    String second = repo.commit("main", v2);
    Path tagged = tmp.resolve("tagged");
    assertThat(run(env(), "hf://Qwen/Tiny:v1", tagged.toString()).succeeded()).isTrue();
    assertContents(tagged, v1);
    Path latest = tmp.resolve("latest");
    assertThat(run(env(), "hf://Qwen/Tiny", latest.toString()).succeeded()).isTrue();
    assertContents(latest, v2);
    Path bySha = tmp.resolve("sha");
    assertThat(run(env(), "hf://Qwen/Tiny:" + second, bySha.toString()).succeeded()).isTrue();
    assertContents(bySha, v2);
  }

  @Test
  void aManyPagedTreeIsReadToTheEndAndPatternsApply() throws Exception {
    hub.pageSize(2);
    Map<String, String> e = env();
    e.put("STORAGE_ALLOW_PATTERNS", "[\"*.json\"]");
    Path dest = tmp.resolve("json");
    assertThat(run(e, "hf://Qwen/Tiny", dest.toString()).succeeded()).isTrue();
    assertThat(files(dest)).containsExactlyInAnyOrder("config.json", "tokenizer/tokenizer.json");
  }

  @Test
  void privateRepositoriesNeedTheToken() throws Exception {
    hub.addRepo("acme/secret").makePrivate("hf_acme").commit("main", v1);
    var anonymous = run(env(), "hf://acme/secret", tmp.resolve("a").toString());
    assertThat(anonymous.failed().failure()).isEqualTo(Failure.AUTH);
    assertThat(anonymous.failed().getMessage()).contains("if it is private, set HF_TOKEN");
    Map<String, String> e = env();
    e.put("HF_TOKEN", "hf_acme");
    Path dest = tmp.resolve("b");
    assertThat(run(e, "hf://acme/secret", dest.toString()).succeeded()).isTrue();
    assertContents(dest, v1);
  }

  @Test
  void gatedRepositoriesSayWhatIsMissing() {
    hub.addToken("hf_other");
    hub.addRepo("meta/gated").makeGated("hf_granted").commit("main", v1);
    var noToken = run(env(), "hf://meta/gated", tmp.resolve("a").toString());
    assertThat(noToken.failed().failure()).isEqualTo(Failure.AUTH);
    assertThat(noToken.failed().getMessage()).contains("is gated: set HF_TOKEN");
    Map<String, String> other = env();
    other.put("HF_TOKEN", "hf_other");
    var noAccess = run(other, "hf://meta/gated", tmp.resolve("b").toString());
    assertThat(noAccess.failed().getMessage()).contains("request access");
    Map<String, String> granted = env();
    granted.put("HF_TOKEN", "hf_granted");
    assertThat(run(granted, "hf://meta/gated", tmp.resolve("c").toString()).succeeded()).isTrue();
  }

  @Test
  void missingRepositoriesAndRevisions() {
    hub.addToken("hf_x");
    Map<String, String> e = env();
    e.put("HF_TOKEN", "hf_x");
    var repo = run(e, "hf://nobody/nothing", tmp.resolve("a").toString());
    assertThat(repo.failed().failure()).isEqualTo(Failure.NOT_FOUND);
    assertThat(repo.failed().getMessage()).contains("nobody/nothing not found");
    var revision = run(env(), "hf://Qwen/Tiny:no-such-branch", tmp.resolve("b").toString());
    assertThat(revision.failed().failure()).isEqualTo(Failure.NOT_FOUND);
    assertThat(revision.failed().getMessage())
        .isEqualTo("Revision 'no-such-branch' not found in Hugging Face repository Qwen/Tiny");
  }

  @Test
  void cdnErrorsAreRetriedAndARestartFetchesNothing() throws Exception {
    hub.failNext("/cdn/*", 2, 500);
    Path dest = tmp.resolve("models");
    var r = run(env(), "hf://Qwen/Tiny", dest.toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertContents(dest, v1);
    var again = run(env(), "hf://Qwen/Tiny", dest.toString());
    assertThat(again.log()).contains("4 of 4 files already in place");
  }
}
