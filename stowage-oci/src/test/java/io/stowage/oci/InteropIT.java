package io.stowage.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stowage.oci.MediaTypes.Compression;
import io.stowage.oci.pack.PackResult;
import io.stowage.oci.registry.CredentialStore;
import io.stowage.oci.registry.Registries;
import io.stowage.testkit.RegistryServer;
import io.stowage.testkit.SampleModel;
import io.stowage.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with independent tools, both ways: what Stowage packs, skopeo copies and umoci unpacks to
 * the same bytes; what umoci builds (gzip layers, whiteouts) Stowage pulls correctly. The modelcar
 * test builds a busybox base from Debian's busybox-static with umoci and checks what KServe's
 * modelcar containers need.
 */
class InteropIT {
  /** The busybox base's PATH, with a marker to tell it from umoci's default. */
  private static final String BASE_PATH = "PATH=/usr/sbin:/usr/bin:/sbin:/bin:/opt/busybox-base";

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static RegistryServer registry;
  private static Registries registries;
  private static Path model;

  @BeforeAll
  static void start() {
    assumeTrue(
        Tools.needed(RegistryServer.available(), "docker-registry (docker-registry)"),
        "docker-registry is not installed");
    assumeTrue(
        Tools.needed(Tools.onPath("skopeo") && Tools.onPath("umoci"), "skopeo and umoci"),
        "skopeo and umoci are needed");
    registry = RegistryServer.start(shared.resolve("registry"), new RegistryServer.NoAuth());
    registries = OciFixtures.registries(CredentialStore.anonymous());
    model = shared.resolve("model");
    SampleModel.write(model, 3L << 20, 2, 5);
  }

  @AfterAll
  static void stop() {
    if (registries != null) {
      registries.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  private String docker(String repo) {
    return "docker://" + registry.address() + "/" + repo;
  }

  /** skopeo copies the image to an OCI layout, umoci unpacks it; returns the rootfs. */
  private Path unpackWithUmoci(String repoAndTag) {
    Path layout = tmp.resolve("layout");
    OciFixtures.run(
        tmp,
        List.of(
            "skopeo",
            "copy",
            "--src-tls-verify=false",
            docker(repoAndTag),
            "oci:" + layout + ":x"));
    Path bundle = tmp.resolve("bundle");
    OciFixtures.run(
        tmp, List.of("umoci", "unpack", "--rootless", "--image", layout + ":x", bundle.toString()));
    return bundle.resolve("rootfs");
  }

  @Test
  void anImagePackedByStowageIsCopiedBySkopeoAndUnpackedByUmociToTheSameBytes() {
    // umoci 0.4 reads uncompressed and gzip layers, not zstd ones (nor does KServe's oci fetch).
    for (Compression c : List.of(Compression.NONE, Compression.GZIP)) {
      OciFixtures.pack(
          registries,
          model,
          "oci://" + registry.address() + "/interop/packed:" + c.label(),
          Optional.empty(),
          c,
          tmp);
      Path rootfs = unpackWithUmoci("interop/packed:" + c.label());
      assertThat(OciFixtures.files(rootfs.resolve("models")))
          .as("models/ after skopeo + umoci, %s layers", c.label())
          .containsExactlyInAnyOrderEntriesOf(OciFixtures.files(model));
      OciFixtures.delete(tmp.resolve("layout"));
      OciFixtures.delete(tmp.resolve("bundle"));
    }
  }

  @Test
  void anImageBuiltByUmociWithAWhiteoutIsPulledCorrectly() {
    Path layout = tmp.resolve("umoci-layout");
    OciFixtures.run(tmp, List.of("umoci", "init", "--layout", layout.toString()));
    OciFixtures.run(tmp, List.of("umoci", "new", "--image", layout + ":m"));
    OciFixtures.run(
        tmp, List.of("umoci", "insert", "--image", layout + ":m", model.toString(), "/models"));
    OciFixtures.run(
        tmp,
        List.of(
            "umoci",
            "insert",
            "--image",
            layout + ":m",
            "--whiteout",
            "/models/generation_config.json"));
    OciFixtures.run(
        tmp,
        List.of(
            "skopeo",
            "copy",
            "--dest-tls-verify=false",
            "oci:" + layout + ":m",
            docker("interop/umoci:v1")));
    Path dest = tmp.resolve("pulled");
    OciFixtures.pull(registries, "oci://" + registry.address() + "/interop/umoci:v1", dest);
    Map<String, byte[]> expected = new TreeMap<>(OciFixtures.files(model));
    expected.remove("generation_config.json");
    assertThat(OciFixtures.files(dest)).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void aModelcarOnABusyboxBaseHasModelsAndTheToolsKserveRuns() throws Exception {
    assumeTrue(
        Tools.needed(
            Files.isExecutable(Path.of("/usr/bin/busybox")), "/usr/bin/busybox (busybox-static)"),
        "busybox-static is needed");
    String base = pushBusyboxBase();
    PackResult packed =
        OciFixtures.pack(
            registries,
            model,
            "oci://" + registry.address() + "/interop/modelcar:v1",
            Optional.of(base),
            Compression.NONE,
            tmp);
    assertThat(packed.layers()).isEqualTo(packed.modelLayers() + 1);
    assertThat(packed.mounted()).isEqualTo(1); // the base layer, linked from busybox's repository
    Path rootfs = unpackWithUmoci("interop/modelcar:v1");
    assertThat(OciFixtures.files(rootfs.resolve("models"))).isNotEmpty();
    for (String tool : List.of("sh", "ln", "sleep", "ls")) {
      assertThat(rootfs.resolve("bin").resolve(tool)).exists();
    }
    // The base's environment is kept (its PATH ends in a marker of ours), so the tools are on
    // the container's PATH, not just present.
    assertThat(Files.readString(tmp.resolve("bundle/config.json")))
        .contains("\"" + BASE_PATH + "\"");
    // What modelcar-init and the sidecar run, as far as a test may: in the image's root.
    String out =
        OciFixtures.run(
            tmp,
            List.of(
                "chroot",
                rootfs.toString(),
                "/bin/sh",
                "-c",
                "test -n \"$(ls /models)\" && ln -sf /proc/$$/root/models /models-link && sleep 0"
                    + " && ls /models"));
    assertThat(out).contains("config.json");
    assertThat(Files.isSymbolicLink(rootfs.resolve("models-link"))).isTrue();
    assertThat(Files.exists(rootfs.resolve("models-link"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  /** A busybox image from Debian's busybox-static, built with umoci and pushed with skopeo. */
  private String pushBusyboxBase() throws Exception {
    Path layout = tmp.resolve("busybox-layout");
    Path root = tmp.resolve("busybox-root");
    Files.createDirectories(root.resolve("bin"));
    Files.copy(Path.of("/usr/bin/busybox"), root.resolve("bin/busybox"));
    for (String tool : List.of("sh", "ln", "sleep", "ls", "cat", "test")) {
      Files.createSymbolicLink(root.resolve("bin").resolve(tool), Path.of("busybox"));
    }
    OciFixtures.run(tmp, List.of("umoci", "init", "--layout", layout.toString()));
    OciFixtures.run(tmp, List.of("umoci", "new", "--image", layout + ":latest"));
    OciFixtures.run(
        tmp,
        List.of(
            "umoci",
            "config",
            "--image",
            layout + ":latest",
            "--config.env",
            BASE_PATH,
            "--config.cmd",
            "sh"));
    OciFixtures.run(
        tmp,
        List.of(
            "umoci",
            "insert",
            "--image",
            layout + ":latest",
            root.resolve("bin").toString(),
            "/bin"));
    OciFixtures.run(
        tmp,
        List.of(
            "skopeo",
            "copy",
            "--dest-tls-verify=false",
            "oci:" + layout + ":latest",
            docker("busybox:latest")));
    return "oci://" + registry.address() + "/busybox:latest";
  }
}
