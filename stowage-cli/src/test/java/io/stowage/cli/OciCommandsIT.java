package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stowage.testkit.RegistryServer;
import io.stowage.testkit.SampleModel;
import io.stowage.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pack, pull, verify and initialize with oci:// as separate processes, against a real registry. */
class OciCommandsIT {
  @TempDir static Path shared;
  @TempDir Path tmp;
  private static RegistryServer registry;
  private static Path model;

  @BeforeAll
  static void start() {
    assumeTrue(
        Tools.needed(RegistryServer.available(), "docker-registry (docker-registry)"),
        "docker-registry is not installed");
    registry = RegistryServer.start(shared.resolve("registry"), new RegistryServer.NoAuth());
    model = shared.resolve("model");
    SampleModel.write(model, 2L << 20, 2, 3);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static Map<String, String> env(Path home) {
    return Map.of("HOME", home.toString(), "STOWAGE_FSYNC", "false");
  }

  private String packed(String repo) throws Exception {
    Launcher.Result packed =
        Launcher.run(
            env(tmp),
            "pack",
            model.toString(),
            "oci://" + registry.address() + "/" + repo,
            "--base",
            "none",
            "--insecure");
    assertThat(packed.exit()).as(packed.all()).isZero();
    assertThat(packed.stdout()).hasSize(1);
    assertThat(packed.stdout().get(0))
        .startsWith(
            "oci://"
                + registry.address()
                + "/"
                + repo.substring(0, repo.indexOf(':'))
                + "@sha256:");
    return packed.stdout().get(0);
  }

  @Test
  void packPullAndVerifyAgreeAndVerifyReportsEveryKindOfDifference() throws Exception {
    String pinned = packed("cli/llm:v1");
    Path dest = tmp.resolve("dest");
    Launcher.Result pulled = Launcher.run(env(tmp), "pull", pinned, dest.toString(), "--insecure");
    assertThat(pulled.exit()).as(pulled.all()).isZero();
    assertThat(pulled.stdout()).isEmpty();
    assertThat(pulled.all()).contains("Successfully copied " + pinned);

    Launcher.Result listed = Launcher.run(env(tmp), "ls", pinned, "--insecure");
    assertThat(listed.exit()).as(listed.all()).isZero();
    assertThat(listed.stdout().get(0)).matches("\\s*SIZE  LAYER");
    assertThat(listed.stdout().subList(1, listed.stdout().size()))
        .isNotEmpty()
        .allMatch(l -> l.matches("\\s*\\d+  sha256:[0-9a-f]{64}  application/vnd\\.oci\\..*"));
    assertThat(listed.lastErrLine()).endsWith(" in " + pinned);
    assertThat(Files.readAllBytes(dest.resolve("config.json")))
        .isEqualTo(Files.readAllBytes(model.resolve("config.json")));

    Launcher.Result ok = Launcher.run(env(tmp), "verify", dest.toString(), "--insecure");
    assertThat(ok.exit()).as(ok.all()).isZero();

    // Same size, same modification time, one byte different: only the image comparison sees it.
    Path shard = dest.resolve(SampleModel.shardName(1, 2));
    FileTime mtime = Files.getLastModifiedTime(shard);
    byte[] bytes = Files.readAllBytes(shard);
    bytes[bytes.length - 1] ^= 1;
    Files.write(shard, bytes);
    Files.setLastModifiedTime(shard, mtime);
    Files.delete(dest.resolve("tokenizer.json"));
    Files.writeString(dest.resolve("notes.txt"), "mine");
    Launcher.Result bad = Launcher.run(env(tmp), "verify", dest.toString(), "--insecure");
    assertThat(bad.exit()).as(bad.all()).isEqualTo(6);
    assertThat(bad.stdout())
        .anyMatch(l -> l.matches("missing\\s+tokenizer\\.json: .*"))
        .anyMatch(l -> l.matches("extra\\s+notes\\.txt: .*"))
        .anyMatch(
            l ->
                l.matches(
                    "changed\\s+"
                        + SampleModel.shardName(1, 2).replace(".", "\\.")
                        + ": content differs.*"));
    Launcher.Result offline = Launcher.run(env(tmp), "verify", dest.toString(), "--offline");
    assertThat(offline.exit()).isEqualTo(6);
    assertThat(offline.stdout()).noneMatch(l -> l.startsWith("changed"));
  }

  @Test
  void anImagePullReportsItsLayersAndBytesToTheProgressViews() throws Exception {
    String pinned = packed("cli/progress:v1");
    Path dest = tmp.resolve("dest");
    Launcher.Result r =
        Launcher.run(env(tmp), "pull", pinned, dest.toString(), "--insecure", "--json");
    assertThat(r.exit()).as(r.all()).isZero();
    long plans = r.stdout().stream().filter(l -> l.startsWith("{\"event\":\"plan\"")).count();
    assertThat(plans).as(r.all()).isEqualTo(1);
    String plan =
        r.stdout().stream().filter(l -> l.startsWith("{\"event\":\"plan\"")).findFirst().get();
    assertThat(plan).matches(".*\"files\":[1-9]\\d*,.*\"upToDateFiles\":0,.*");
    String transferred =
        r.stdout().stream()
            .filter(l -> l.startsWith("{\"event\":\"transferred\""))
            .findFirst()
            .orElseThrow(() -> new AssertionError(r.all()));
    long fetched = Long.parseLong(transferred.replaceAll(".*\"fetchedBytes\":(\\d+).*", "$1"));
    long bytes = Long.parseLong(transferred.replaceAll(".*\"bytes\":(\\d+).*", "$1"));
    assertThat(fetched).isEqualTo(bytes).isPositive();
    assertThat(r.stdout()).last().asString().startsWith("{\"event\":\"done\"");

    // Pulled again: the plan says every layer is in place and nothing is fetched.
    Launcher.Result again =
        Launcher.run(env(tmp), "pull", pinned, dest.toString(), "--insecure", "--json");
    assertThat(again.exit()).as(again.all()).isZero();
    assertThat(again.stdout()).noneMatch(l -> l.startsWith("{\"event\":\"transferred\""));
  }

  @Test
  void theInitializerFetchesOciUrisAndARestartFetchesNothing() throws Exception {
    packed("cli/init:v1");
    Path dest = tmp.resolve("mnt/models");
    Map<String, String> env =
        Map.of(
            "HOME",
            tmp.toString(),
            "STOWAGE_FSYNC",
            "false",
            "KSERVE_OCI_INSECURE_REGISTRY",
            "true",
            "STOWAGE_TERMINATION_LOG",
            tmp.resolve("termination").toString());
    String uri = "oci://" + registry.address() + "/cli/init:v1";
    Launcher.Result first = Launcher.run(env, "initialize", uri, dest.toString());
    assertThat(first.exit()).as(first.all()).isZero();
    assertThat(first.lastErrLine()).contains("Model downloaded in");
    assertThat(Files.readAllBytes(dest.resolve(SampleModel.shardName(2, 2))))
        .isEqualTo(Files.readAllBytes(model.resolve(SampleModel.shardName(2, 2))));
    Launcher.Result again = Launcher.run(env, "initialize", uri, dest.toString());
    assertThat(again.exit()).as(again.all()).isZero();
    assertThat(again.all()).contains("nothing to fetch");

    Launcher.Result missing =
        Launcher.run(
            env,
            "initialize",
            "oci://" + registry.address() + "/cli/none:v1",
            tmp.resolve("x").toString());
    assertThat(missing.exit()).isEqualTo(4);
    assertThat(missing.lastErrLine()).contains("not found");
    assertThat(Files.readString(tmp.resolve("termination"))).contains("not found");
  }
}
