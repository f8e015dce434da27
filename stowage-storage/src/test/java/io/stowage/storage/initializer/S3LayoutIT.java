package io.stowage.storage.initializer;

import static io.stowage.storage.initializer.InitializerHarness.files;
import static io.stowage.storage.initializer.InitializerHarness.random;
import static io.stowage.storage.initializer.InitializerHarness.run;
import static io.stowage.storage.initializer.S3Harness.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.storage.Failure;
import io.stowage.testkit.S3Seeder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where keys land, against a real S3 server: KServe's layout and Stowage's deliberate fixes. */
class S3LayoutIT {
  @TempDir Path tmp;
  private final S3Seeder s3 = S3Harness.seeder();
  private String bucket = "";

  @BeforeEach
  void bucket() {
    bucket = S3Harness.newBucket();
  }

  @Test
  void prefixYieldsItsTreeWithThePrefixStripped() throws Exception {
    s3.put(bucket, "models/llm/config.json", "{}".getBytes(StandardCharsets.UTF_8));
    s3.put(bucket, "models/llm/tokenizer/vocab.txt", "a b c".getBytes(StandardCharsets.UTF_8));
    s3.put(bucket, "models/other/x.bin", "x".getBytes(StandardCharsets.UTF_8));
    Path dest = tmp.resolve("models");
    var r = run(env(), "s3://" + bucket + "/models/llm", dest.toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(files(dest)).containsExactly("config.json", "tokenizer/vocab.txt");
    assertThat(Files.readString(dest.resolve("tokenizer/vocab.txt"))).isEqualTo("a b c");
    assertThat(r.lines().get(r.lines().size() - 1))
        .matches("INFO Model downloaded in \\d+\\.\\d\\d seconds\\.");
  }

  @Test
  void trailingSlashMeansTheSameTree() throws Exception {
    s3.put(bucket, "m/a.json", "1".getBytes(StandardCharsets.UTF_8));
    Path dest = tmp.resolve("d");
    assertThat(run(env(), "s3://" + bucket + "/m/", dest.toString()).succeeded()).isTrue();
    assertThat(files(dest)).containsExactly("a.json");
  }

  @Test
  void siblingPrefixesDoNotLeakIn() throws Exception {
    s3.put(bucket, "model/config.json", "{}".getBytes(StandardCharsets.UTF_8));
    s3.put(bucket, "model-hf/config.json", "{\"leak\":1}".getBytes(StandardCharsets.UTF_8));
    s3.put(bucket, "modelzoo.txt", "z".getBytes(StandardCharsets.UTF_8));
    Path dest = tmp.resolve("d");
    assertThat(run(env(), "s3://" + bucket + "/model", dest.toString()).succeeded()).isTrue();
    assertThat(files(dest)).containsExactly("config.json");
  }

  @Test
  void keyEqualToTheUriIsOneFileNamedByItsBasename() throws Exception {
    s3.put(bucket, "x/churn", "single".getBytes(StandardCharsets.UTF_8));
    s3.put(bucket, "x/churn-logs/log.txt", "no".getBytes(StandardCharsets.UTF_8));
    Path dest = tmp.resolve("d");
    assertThat(run(env(), "s3://" + bucket + "/x/churn", dest.toString()).succeeded()).isTrue();
    assertThat(files(dest)).containsExactly("churn");
    assertThat(Files.readString(dest.resolve("churn"))).isEqualTo("single");
  }

  @Test
  void fileWithoutExtensionInASubfolder() throws Exception {
    s3.put(bucket, "artifacts/model", "m".getBytes(StandardCharsets.UTF_8));
    Path dest = tmp.resolve("d");
    assertThat(run(env(), "s3://" + bucket + "/artifacts/model", dest.toString()).succeeded())
        .isTrue();
    assertThat(files(dest)).containsExactly("model");
  }

  @Test
  void wholeBucketWithAndWithoutSlash() throws Exception {
    s3.put(bucket, "a.txt", "a".getBytes(StandardCharsets.UTF_8));
    s3.put(bucket, "d/b.txt", "b".getBytes(StandardCharsets.UTF_8));
    for (String uri : new String[] {"s3://" + bucket, "s3://" + bucket + "/"}) {
      Path dest = tmp.resolve("d" + uri.length());
      var r = run(env(), uri, dest.toString());
      assertThat(r.succeeded()).as(r.log()).isTrue();
      assertThat(files(dest)).containsExactly("a.txt", "d/b.txt");
    }
  }

  @Test
  void directoryMarkersAreSkippedAndEmptyFilesCreated() throws Exception {
    s3.put(bucket, "m/", new byte[0]);
    s3.put(bucket, "m/pkg/", new byte[0]);
    s3.put(bucket, "m/pkg/__init__.py", new byte[0]);
    s3.put(bucket, "m/w.bin", random(100, 1));
    Path dest = tmp.resolve("d");
    var r = run(env(), "s3://" + bucket + "/m", dest.toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(files(dest)).containsExactly("pkg/__init__.py", "w.bin");
    assertThat(Files.size(dest.resolve("pkg/__init__.py"))).isZero();
  }

  @Test
  void keysWithSpecialCharactersRoundTrip() throws Exception {
    String[] names = {
      "a b.txt", "plus+sign.json", "ünïcödé.txt", "percent%20.txt", "q?uery.txt", "hash#.txt"
    };
    for (String n : names) {
      s3.put(bucket, "m/" + n, n.getBytes(StandardCharsets.UTF_8));
    }
    Path dest = tmp.resolve("d");
    var r = run(env(), "s3://" + bucket + "/m", dest.toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    for (String n : names) {
      assertThat(Files.readString(dest.resolve(n))).isEqualTo(n);
    }
  }

  @Test
  void allowAndIgnorePatternsFilterTheTree() throws Exception {
    s3.put(bucket, "m/config.json", "{}".getBytes(StandardCharsets.UTF_8));
    s3.put(bucket, "m/tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8));
    s3.put(bucket, "m/model.safetensors", random(10, 2));
    s3.put(bucket, "m/original/consolidated.pth", random(10, 3));
    Map<String, String> e = env();
    e.put("STORAGE_ALLOW_PATTERNS", "[\"*.json\", \"*.pth\"]");
    e.put("STORAGE_IGNORE_PATTERNS", "original/*");
    Path dest = tmp.resolve("d");
    assertThat(run(e, "s3://" + bucket + "/m", dest.toString()).succeeded()).isTrue();
    assertThat(files(dest)).containsExactly("config.json", "tokenizer.json");
  }

  @Test
  void patternsDoNotApplyToAnExactObject() throws Exception {
    s3.put(bucket, "m/model.onnx", "o".getBytes(StandardCharsets.UTF_8));
    Map<String, String> e = env();
    e.put("STORAGE_ALLOW_PATTERNS", "*.json");
    Path dest = tmp.resolve("d");
    assertThat(run(e, "s3://" + bucket + "/m/model.onnx", dest.toString()).succeeded()).isTrue();
    assertThat(files(dest)).containsExactly("model.onnx");
  }

  @Test
  void multiplePairsAreFetchedInOrder() throws Exception {
    s3.put(bucket, "a/x.txt", "x".getBytes(StandardCharsets.UTF_8));
    s3.put(bucket, "b/y.txt", "y".getBytes(StandardCharsets.UTF_8));
    Path d1 = tmp.resolve("one");
    Path d2 = tmp.resolve("two");
    var r =
        run(env(), "s3://" + bucket + "/a", d1.toString(), "s3://" + bucket + "/b", d2.toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(files(d1)).containsExactly("x.txt");
    assertThat(files(d2)).containsExactly("y.txt");
    assertThat(r.lines().stream().filter(l -> l.startsWith("INFO Model downloaded in"))).hasSize(2);
  }

  @Test
  void theFirstFailingPairStopsTheRun() throws Exception {
    s3.put(bucket, "b/y.txt", "y".getBytes(StandardCharsets.UTF_8));
    Path d1 = tmp.resolve("one");
    Path d2 = tmp.resolve("two");
    var r =
        run(
            env(),
            "s3://" + bucket + "/missing",
            d1.toString(),
            "s3://" + bucket + "/b",
            d2.toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.NOT_FOUND);
    assertThat(files(d2)).isEmpty();
  }

  @Test
  void aSingleArchiveObjectIsUnpackedIntoTheRootAndItsFolderRemoved() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("model.onnx"), "onnx");
    Path tgz = tmp.resolve("model.TAR.GZ");
    assertThat(
            new ProcessBuilder("tar", "-czf", tgz.toString(), "-C", src.toString(), ".")
                .start()
                .waitFor())
        .isZero();
    s3.putFile(bucket, "m/sub/model.TAR.GZ", tgz);
    Path dest = tmp.resolve("d");
    var r = run(env(), "s3://" + bucket + "/m", dest.toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(files(dest)).containsExactly("model.onnx");
    assertThat(dest.resolve("sub")).doesNotExist();
    var again = run(env(), "s3://" + bucket + "/m", dest.toString());
    assertThat(again.log()).contains("was already extracted");
  }
}
