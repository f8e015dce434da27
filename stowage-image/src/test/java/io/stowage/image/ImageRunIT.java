package io.stowage.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stowage.cli.quickstart.RenderedInitializer;
import io.stowage.testkit.HttpFileServer;
import io.stowage.testkit.RegistryServer;
import io.stowage.testkit.S3ProxyServer;
import io.stowage.testkit.S3Seeder;
import io.stowage.testkit.SampleModel;
import io.stowage.testkit.TlsMaterial;
import io.stowage.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built images, run as a kubelet would run them, without Docker: each OCI tarball is pushed to
 * Debian's docker-registry on loopback (skopeo), pulled back and unpacked (skopeo, umoci), and run
 * with runc as a restricted pod's container, against S3Proxy on loopback.
 */
class ImageRunIT {
  private static final String BUCKET = "models";
  private static final String PREFIX = "Qwen2.5-0.5B-Instruct";

  @TempDir static Path shared;
  static RegistryServer registry;
  static S3ProxyServer s3;
  static Path model;
  static OciBundle initializer;
  static OciBundle tools;

  @BeforeAll
  static void setUp() throws Exception {
    assumeTrue(Tools.needed(Tools.onPath("runc"), "runc (runc)"));
    assumeTrue(
        Tools.needed(
            Tools.onPath("skopeo") && Tools.onPath("umoci"), "skopeo and umoci (skopeo, umoci)"));
    assumeTrue(Tools.needed(RegistryServer.available(), "docker-registry (docker-registry)"));
    assumeTrue(Tools.needed(isRoot(), "root (runc runs containers as root here)"));
    assumeTrue(Tools.needed(Tools.onPath("zstd"), "zstd (zstd)"));
    assumeTrue(
        Tools.needed(
            RuntimeDefaultSeccomp.available(),
            "the default seccomp profile (golang-github-containers-common, with skopeo)"));
    registry = RegistryServer.start(shared.resolve("registry"), new RegistryServer.NoAuth());
    initializer = viaRegistry("stowage-initializer");
    tools = viaRegistry("stowage");

    s3 = S3ProxyServer.start(shared.resolve("s3"));
    model = shared.resolve("model");
    SampleModel.write(model, 12L << 20, 2, 7);
    try (S3Seeder seeder = S3Seeder.forServer(s3)) {
      seeder.createBucket(BUCKET);
      for (Map.Entry<String, String> file : hashes(model).entrySet()) {
        Path local = model.resolve(file.getKey());
        String key = PREFIX + "/" + file.getKey();
        if (Files.size(local) > 8L << 20) {
          seeder.putMultipart(BUCKET, key, local, 5L << 20);
        } else {
          seeder.putFile(BUCKET, key, local);
        }
      }
    }
  }

  @AfterAll
  static void tearDown() {
    if (s3 != null) {
      s3.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void initializerDownloadsTheS3ExampleAsItsPodWouldRunIt(@TempDir Path pod) throws Exception {
    RenderedInitializer init = render(s3.accessKey(), s3.secretKey());
    assertThat(init.args()).containsExactly("s3://" + BUCKET + "/" + PREFIX, "/mnt/models");
    Long podUser = init.runAsUser();
    long uid = podUser == null ? 65532 : podUser;
    Volumes volumes = Volumes.create(pod, init);

    OciBundle.Run run = initializer.run(init.args(), init.env(), uid, uid, volumes.mounts());

    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(run.stderr()).contains("Model downloaded in");
    Map<String, String> landed = hashes(volumes.models());
    landed.remove(".stowage-manifest.jsonl");
    assertThat(landed).isEqualTo(hashes(model));
    assertThat(Files.readString(volumes.terminationLog()))
        .startsWith("{\"deployed\":[{\"source\":\"s3://" + BUCKET + "/" + PREFIX + "\"");
  }

  @Test
  void anyUidWorksAsOpenShiftAssignsThem(@TempDir Path pod) throws Exception {
    RenderedInitializer init = render(s3.accessKey(), s3.secretKey());
    Volumes volumes = Volumes.create(pod, init);

    OciBundle.Run run = initializer.run(init.args(), init.env(), 1000680000L, 0, volumes.mounts());

    assertThat(run.exit()).as(run.stderr()).isZero();
    Map<String, String> landed = hashes(volumes.models());
    landed.remove(".stowage-manifest.jsonl");
    assertThat(landed).isEqualTo(hashes(model));
  }

  @Test
  void wrongSecretEndsWithExitThreeAndOneLineInTheTerminationLog(@TempDir Path pod)
      throws Exception {
    RenderedInitializer init = render(s3.accessKey(), "not-the-secret");
    Volumes volumes = Volumes.create(pod, init);

    OciBundle.Run run = initializer.run(init.args(), init.env(), 65532, 65532, volumes.mounts());

    assertThat(run.exit()).isEqualTo(3);
    String message = Files.readString(volumes.terminationLog(), StandardCharsets.UTF_8);
    assertThat(message.strip()).doesNotContain("\n").isEqualTo(run.lastStderrLine());
    assertThat(message).doesNotContain("not-the-secret");
    try (Stream<Path> s = Files.list(volumes.models())) {
      assertThat(s.filter(p -> !p.getFileName().toString().startsWith(".stowage")).toList())
          .isEmpty();
    }
  }

  @Test
  void nativeLibrariesLoadFromTheImageWithARootFilesystemThatIsReadOnly(@TempDir Path pod)
      throws Exception {
    // A zstd tar over TLS: Conscrypt's BoringSSL for the connection, zstd-jni for the archive;
    // both would unpack their library into /tmp, which the container does not have.
    Path tree = Files.createDirectories(pod.resolve("tree"));
    Files.write(tree.resolve("weights.bin"), new byte[1 << 20]);
    Path archive = pod.resolve("model.tar.zst");
    Commands.run("sh", "-c", "tar -C '" + tree + "' -cf - . | zstd -q -o '" + archive + "'");
    TlsMaterial tls = TlsMaterial.selfSigned(pod.resolve("tls"));
    Path certs = Files.createDirectories(pod.resolve("certs"));
    Files.copy(tls.caCertificatePem(), certs.resolve("ca.pem"));
    Files.setPosixFilePermissions(
        certs.resolve("ca.pem"), PosixFilePermissions.fromString("rw-r--r--"));
    Path models = Files.createDirectories(pod.resolve("models"));
    Files.setPosixFilePermissions(models, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (HttpFileServer https = HttpFileServer.startTls(tls)) {
      https.putFile("/model.tar.zst", archive);
      OciBundle.Run run =
          initializer.run(
              List.of("-Xlog:library=info"),
              List.of(https.url("/model.tar.zst").toString(), "/mnt/models"),
              Map.of("SSL_CERT_FILE", "/certs/ca.pem", "STOWAGE_TERMINATION_LOG", "/dev/null"),
              65532,
              65532,
              Map.of("/mnt/models", models, "/certs", certs));

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.stdout())
          .contains("Loaded library /app/native/libconscrypt_openjdk_jni-linux-x86_64.so")
          .contains("Loaded library /app/native/libzstd-jni");
      assertThat(Files.size(models.resolve("weights.bin"))).isEqualTo(1 << 20);
    }
  }

  @Test
  void stowageImageRunsTheToolsAndTheController() throws Exception {
    OciBundle.Run version = tools.run(List.of("--version"), Map.of(), 65532, 65532, Map.of());
    assertThat(version.exit()).as(version.stderr()).isZero();
    assertThat(version.stdout()).contains("0.1.0");

    OciBundle.Run help =
        tools.run(List.of("controller", "--help"), Map.of(), 65532, 65532, Map.of());
    assertThat(help.exit()).as(help.stderr()).isZero();
    assertThat(help.stdout() + help.stderr()).contains("controller");

    // The images leave quickstart's embedded S3 server out; it says so in one line.
    OciBundle.Run quickstart = tools.run(List.of("quickstart"), Map.of(), 65532, 65532, Map.of());
    assertThat(quickstart.exit()).as(quickstart.stderr()).isEqualTo(2);
    assertThat(quickstart.stderr().strip()).doesNotContain("\n").contains("distribution");
  }

  @Test
  void initializerImageIsTheInitializerAlone() throws Exception {
    assertThat(initializer.entrypoint()).endsWith("io.stowage.cli.Main", "initialize");
    assertThat(tools.entrypoint()).last().isEqualTo("io.stowage.cli.Main");
  }

  /** Pushes the built tarball, pulls it back into an OCI layout and unpacks it. */
  private static OciBundle viaRegistry(String name) throws Exception {
    Path tarball = Path.of(System.getProperty("stowage.image.dir"), name + ".oci.tar");
    String ref = registry.address() + "/" + name + ":it";
    Commands.run(
        "skopeo",
        "copy",
        "-q",
        "--dest-tls-verify=false",
        "oci-archive:" + tarball,
        "docker://" + ref);
    Path layout = shared.resolve("layout-" + name);
    Commands.run(
        "skopeo",
        "copy",
        "-q",
        "--src-tls-verify=false",
        "docker://" + ref,
        "oci:" + layout + ":it");
    return OciBundle.unpack(layout, "it", shared.resolve("bundle-" + name));
  }

  /** The S3 example's init container, as the planner renders it, pointed at S3Proxy. */
  private static RenderedInitializer render(String accessKey, String secretKey) throws Exception {
    String hostPort = s3.endpoint().getHost() + ":" + s3.endpoint().getPort();
    return RenderedInitializer.inPod(hostPort, accessKey, secretKey);
  }

  /** The pod's volumes on the host: an emptyDir for each mount, and the termination log. */
  record Volumes(Map<String, Path> mounts, Path models, Path terminationLog) {
    static Volumes create(Path pod, RenderedInitializer init) throws IOException {
      Map<String, Path> mounts = new LinkedHashMap<>();
      Path models = null;
      for (String at : init.mountPaths()) {
        Path dir = Files.createDirectories(pod.resolve("volume" + mounts.size()));
        // The kubelet creates emptyDir volumes world-writable.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        mounts.put(at, dir);
        if (at.equals("/mnt/models")) {
          models = dir;
        }
      }
      Path log = Files.createFile(pod.resolve("termination-log"));
      Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
      mounts.put("/dev/termination-log", log);
      if (models == null) {
        throw new IllegalStateException("the init container mounts nothing at /mnt/models");
      }
      return new Volumes(mounts, models, log);
    }
  }

  static Map<String, String> hashes(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        out.put(
            root.relativize(p).toString(),
            HexFormat.of().formatHex(d.digest(Files.readAllBytes(p))));
      }
    }
    return out;
  }

  private static boolean isRoot() throws Exception {
    return Commands.run("id", "-u").strip().equals("0");
  }
}
