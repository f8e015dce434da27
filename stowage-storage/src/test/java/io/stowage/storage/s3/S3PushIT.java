package io.stowage.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.net.HttpClient;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.uri.S3Uri;
import io.stowage.storage.uri.StorageUri;
import io.stowage.testkit.S3ProxyServer;
import io.stowage.testkit.S3Seeder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** {@link S3Push} against a real S3 server (S3Proxy): sync, resume, delete, verification. */
class S3PushIT {
  private static final long MIB = 1024 * 1024;
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @TempDir Path tmp;
  private final S3ProxyServer server = S3ProxyServer.shared();
  private final S3Seeder s3 = S3Seeder.forServer(server);
  private final List<String> events = new ArrayList<>();
  private String bucket = "";
  private Path model = Path.of("");
  private HttpClient http = new HttpClient(settings(env()).net());

  @BeforeEach
  void setUp() throws IOException {
    bucket = "push-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
    s3.createBucket(bucket);
    model = tmp.resolve("model");
    Files.createDirectories(model.resolve("tokenizer"));
    write(model.resolve("config.json"), 300, 1);
    write(model.resolve("tokenizer/vocab.txt"), 70_000, 2);
    write(model.resolve("model.safetensors"), 12 * MIB + 17, 3); // three 5 MiB parts
    Files.createFile(model.resolve("empty.txt"));
  }

  @AfterEach
  void tearDown() {
    http.close();
    s3.close();
  }

  private static void write(Path p, long size, long seed) throws IOException {
    byte[] b = new byte[(int) size];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) r.nextInt();
    }
    Files.write(p, b);
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", server.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", server.secretKey());
    env.put("AWS_ENDPOINT_URL", server.endpoint().toString());
    env.put("S3_CONNECT_TIMEOUT", "2");
    env.put("S3_READ_TIMEOUT", "10");
    env.put("S3_MAX_ATTEMPTS", "2");
    return env;
  }

  private static InitializerSettings settings(Map<String, String> env) {
    return InitializerSettings.fromEnvironment(env);
  }

  private S3Push.Summary push(String uri, boolean delete) {
    return push(env(), uri, delete);
  }

  private S3Push.Summary push(Map<String, String> env, String uri, boolean delete) {
    InitializerSettings settings = settings(env);
    S3Push push =
        new S3Push(
            (S3Uri) StorageUri.parse(uri),
            settings.s3(),
            http,
            settings.transfer().retry(),
            new S3Push.Listener() {
              @Override
              public synchronized void uploaded(String key, long size) {
                events.add("uploaded " + key);
                onUploaded.accept(key);
              }

              @Override
              public synchronized void deleted(String key) {
                events.add("deleted " + key);
              }

              @Override
              public synchronized void resumed(String key, int parts) {
                events.add("resumed " + key + " " + parts);
              }
            });
    return push.push(model, new S3Push.Options(delete, 5 * MIB, 4));
  }

  /** Runs when a file's upload completes, while the push goes on. */
  private java.util.function.Consumer<String> onUploaded = key -> {};

  private List<String> pendingUploads() {
    return s3.client().listMultipartUploads(r -> r.bucket(bucket)).uploads().stream()
        .map(u -> u.key())
        .toList();
  }

  @Test
  void pushedObjectsHaveTheFilesBytesAndEtags() throws IOException {
    S3Push.Summary summary = push("s3://" + bucket + "/models/m1", false);

    assertThat(summary.files()).isEqualTo(4);
    assertThat(summary.uploaded()).isEqualTo(4);
    assertThat(summary.uploadedBytes()).isEqualTo(12 * MIB + 17 + 70_300);
    assertThat(s3.keys(bucket, ""))
        .containsExactlyInAnyOrder(
            "models/m1/config.json",
            "models/m1/tokenizer/vocab.txt",
            "models/m1/model.safetensors",
            "models/m1/empty.txt");
    for (String rel : List.of("config.json", "tokenizer/vocab.txt", "model.safetensors")) {
      assertThat(s3.get(bucket, "models/m1/" + rel))
          .isEqualTo(Files.readAllBytes(model.resolve(rel)));
    }
    assertThat(s3.get(bucket, "models/m1/empty.txt")).isEmpty();
    Path big = model.resolve("model.safetensors");
    assertThat(s3.etag(bucket, "models/m1/model.safetensors"))
        .isEqualTo(
            LocalEtag.multipart(big, Files.size(big), 5 * MIB, ByteBuffer.allocate(64 * 1024)))
        .endsWith("-3");
    assertThat(pendingUploads()).isEmpty();
  }

  @Test
  void aPushedMultipartObjectIsDownloadedAgainstItsMultipartEtag() throws IOException {
    push("s3://" + bucket + "/models/m1", false);
    InitializerSettings settings = settings(env());
    S3Source source =
        new S3Source(
            (S3Uri) StorageUri.parse("s3://" + bucket + "/models/m1"),
            settings.s3(),
            http,
            io.stowage.storage.transfer.PathFilter.all(),
            settings.transfer().retry());
    var files = source.list();
    var big =
        files.stream().filter(f -> f.path().value().equals("model.safetensors")).findFirst().get();
    assertThat(big.verification())
        .isInstanceOfSatisfying(
            io.stowage.storage.transfer.Verification.Digest.class,
            d -> assertThat(d.partSize()).isEqualTo(5 * MIB));
    Path dest = tmp.resolve("dest");
    new io.stowage.storage.transfer.TransferEngine(settings.transfer())
        .run(
            source,
            files,
            dest,
            io.stowage.storage.transfer.TransferListener.NONE,
            new io.stowage.storage.transfer.TransferProgress());
    assertThat(Files.readAllBytes(dest.resolve("model.safetensors")))
        .isEqualTo(Files.readAllBytes(model.resolve("model.safetensors")));
  }

  @Test
  void aSecondPushUploadsNothing() {
    push("s3://" + bucket + "/m", false);
    events.clear();

    S3Push.Summary again = push("s3://" + bucket + "/m/", false);

    assertThat(again.uploaded()).isZero();
    assertThat(again.skipped()).isEqualTo(4);
    assertThat(again.uploadedBytes()).isZero();
    assertThat(events).isEmpty();
  }

  @Test
  void aChangedFileOfTheSameSizeIsUploadedAgain() throws IOException {
    push("s3://" + bucket + "/m", false);
    events.clear();
    write(model.resolve("model.safetensors"), 12 * MIB + 17, 99);

    S3Push.Summary again = push("s3://" + bucket + "/m", false);

    assertThat(again.uploaded()).isEqualTo(1);
    assertThat(events).containsExactly("uploaded m/model.safetensors");
    assertThat(s3.get(bucket, "m/model.safetensors"))
        .isEqualTo(Files.readAllBytes(model.resolve("model.safetensors")));
  }

  @Test
  void objectsWrittenByOtherClientsWithOtherPartSizesAreRecognized() {
    // The aws cli's 8 MiB parts, a single PUT: both must count as "already there".
    s3.putMultipart(bucket, "m/model.safetensors", model.resolve("model.safetensors"), 8 * MIB);
    s3.putFile(bucket, "m/config.json", model.resolve("config.json"));

    S3Push.Summary summary = push("s3://" + bucket + "/m", false);

    assertThat(summary.skipped()).isEqualTo(2);
    assertThat(events)
        .containsExactlyInAnyOrder("uploaded m/tokenizer/vocab.txt", "uploaded m/empty.txt");
  }

  @Test
  void anInterruptedUploadIsResumedWithTheMatchingParts() throws IOException {
    Path big = model.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(big);
    String id =
        s3.client()
            .createMultipartUpload(r -> r.bucket(bucket).key("m/model.safetensors"))
            .uploadId();
    for (int part = 1; part <= 2; part++) {
      int n = part;
      s3.client()
          .uploadPart(
              r -> r.bucket(bucket).key("m/model.safetensors").uploadId(id).partNumber(n),
              RequestBody.fromBytes(
                  java.util.Arrays.copyOfRange(
                      bytes, (int) ((n - 1) * 5L * MIB), (int) (n * 5L * MIB))));
    }

    S3Push.Summary summary = push("s3://" + bucket + "/m", false);

    assertThat(summary.resumedParts()).isEqualTo(2);
    assertThat(events).contains("resumed m/model.safetensors 2");
    assertThat(s3.get(bucket, "m/model.safetensors")).isEqualTo(bytes);
    assertThat(pendingUploads()).isEmpty();
  }

  @Test
  void aStaleUploadWithOtherBytesIsAbortedNotLeaked() {
    String id =
        s3.client()
            .createMultipartUpload(r -> r.bucket(bucket).key("m/model.safetensors"))
            .uploadId();
    s3.client()
        .uploadPart(
            r -> r.bucket(bucket).key("m/model.safetensors").uploadId(id).partNumber(1),
            RequestBody.fromBytes(new byte[(int) (5 * MIB)]));

    S3Push.Summary summary = push("s3://" + bucket + "/m", false);

    assertThat(summary.resumedParts()).isZero();
    assertThat(pendingUploads()).isEmpty();
  }

  @Test
  void anUploadAKilledPushStartedAfterTheListingIsAbortedAtTheEnd() {
    // Found by CrashLoopIT: a SIGKILLed push's CreateMultipartUpload still in flight lands after
    // the next push listed the uploads; that push completed the key and left the upload billed.
    onUploaded =
        key -> s3.client().createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();

    push("s3://" + bucket + "/m", false);

    assertThat(pendingUploads()).isEmpty();
  }

  @Test
  void anUnfinishedUploadOfAFileAlreadyInPlaceIsAbortedWhenItIsSkipped() {
    push("s3://" + bucket + "/m", false);
    s3.client().createMultipartUpload(r -> r.bucket(bucket).key("m/model.safetensors"));
    s3.client().createMultipartUpload(r -> r.bucket(bucket).key("m/someone-elses.bin"));
    events.clear();

    S3Push.Summary summary = push("s3://" + bucket + "/m", false);

    assertThat(summary.uploaded()).isZero();
    assertThat(pendingUploads()).containsExactly("m/someone-elses.bin");
  }

  @Test
  void deleteRemovesWhatTheDirectoryNoLongerHas() throws IOException {
    push("s3://" + bucket + "/m", false);
    s3.put(bucket, "m/old/weights.bin", new byte[10]);
    s3.put(bucket, "m-sibling/keep.txt", new byte[3]);
    s3.client().createMultipartUpload(r -> r.bucket(bucket).key("m/abandoned.bin"));
    Files.delete(model.resolve("config.json"));
    events.clear();

    S3Push.Summary summary = push("s3://" + bucket + "/m", true);

    assertThat(summary.deleted()).isEqualTo(2);
    assertThat(events)
        .containsExactlyInAnyOrder("deleted m/config.json", "deleted m/old/weights.bin");
    assertThat(s3.keys(bucket, ""))
        .containsExactlyInAnyOrder(
            "m/tokenizer/vocab.txt", "m/model.safetensors", "m/empty.txt", "m-sibling/keep.txt");
    assertThat(pendingUploads()).isEmpty();
  }

  @Test
  void withoutDeleteExtraKeysStay() {
    s3.put(bucket, "m/extra.bin", new byte[10]);

    push("s3://" + bucket + "/m", false);

    assertThat(s3.keys(bucket, "m/")).contains("m/extra.bin");
  }

  @Test
  void wrongCredentialsAreAnAuthFailure() {
    Map<String, String> env = env();
    env.put("AWS_SECRET_ACCESS_KEY", "not-the-secret-42");

    assertThatThrownBy(() -> push(env, "s3://" + bucket + "/m", false))
        .isInstanceOfSatisfying(
            StorageException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(Failure.AUTH);
              assertThat(e.getMessage())
                  .contains("AWS_SECRET_ACCESS_KEY")
                  .doesNotContain("not-the-secret-42")
                  .doesNotContain("\n");
            });
  }

  @Test
  void aMissingBucketIsNotFound() {
    assertThatThrownBy(() -> push("s3://no-such-bucket-" + bucket + "/m", false))
        .isInstanceOfSatisfying(
            StorageException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(Failure.NOT_FOUND);
              assertThat(e.getMessage()).contains("no-such-bucket-").doesNotContain("\n");
            });
  }

  @Test
  void anUnreachableEndpointIsANetworkFailure() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = env();
    env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + port);

    assertThatThrownBy(() -> push(env, "s3://" + bucket + "/m", false))
        .isInstanceOfSatisfying(
            StorageException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(Failure.NETWORK);
              assertThat(e.getMessage()).contains("127.0.0.1:" + port).doesNotContain("\n");
            });
  }

  @Test
  void anEmptyDirectoryIsAUsageError() throws IOException {
    model = Files.createDirectories(tmp.resolve("nothing"));

    assertThatThrownBy(() -> push("s3://" + bucket + "/m", false))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.USAGE));
  }
}
