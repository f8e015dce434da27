package io.stowage.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stowage.oci.MediaTypes.Compression;
import io.stowage.oci.pack.PackResult;
import io.stowage.oci.pull.PullResult;
import io.stowage.oci.registry.CredentialStore;
import io.stowage.oci.registry.Registries;
import io.stowage.oci.registry.RegistryClient;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.testkit.RegistryServer;
import io.stowage.testkit.SampleModel;
import io.stowage.testkit.Tools;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pack and pull against a real registry without auth. */
class PackPullIT {
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
    registry = RegistryServer.start(shared.resolve("registry"), new RegistryServer.NoAuth());
    registries = OciFixtures.registries(CredentialStore.anonymous());
    model = shared.resolve("model");
    SampleModel.write(model, 5L << 20, 3, 7);
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

  private String ref(String repo) {
    return "oci://" + registry.address() + "/" + repo;
  }

  @Test
  void aPackedModelPullsBackByteForByte() {
    PackResult packed =
        OciFixtures.pack(
            registries, model, ref("models/llm:v1"), Optional.empty(), Compression.NONE, tmp);
    assertThat(packed.modelLayers()).isEqualTo(4); // small files together, one layer per shard
    PullResult pulled = OciFixtures.pull(registries, packed.pinned(), tmp.resolve("dest"));
    assertThat(pulled.files()).isEqualTo(9);
    assertThat(OciFixtures.files(tmp.resolve("dest")))
        .containsExactlyInAnyOrderEntriesOf(OciFixtures.files(model));
  }

  @Test
  void packingTheSameDirectoryTwiceGivesTheSameDigestAndUploadsNothingNew() {
    PackResult first =
        OciFixtures.pack(
            registries, model, ref("models/repro:a"), Optional.empty(), Compression.NONE, tmp);
    PackResult second =
        OciFixtures.pack(
            registries, model, ref("models/repro:b"), Optional.empty(), Compression.NONE, tmp);
    assertThat(second.digest()).isEqualTo(first.digest());
    assertThat(second.uploadedBytes()).isZero();
    assertThat(second.present()).isEqualTo(first.modelLayers() + 1);
  }

  @Test
  void compressedLayersRoundTrip() {
    for (Compression c : new Compression[] {Compression.GZIP, Compression.ZSTD}) {
      PackResult packed =
          OciFixtures.pack(
              registries, model, ref("models/" + c.label() + ":v1"), Optional.empty(), c, tmp);
      Path dest = tmp.resolve("dest-" + c.label());
      OciFixtures.pull(registries, packed.pinned(), dest);
      assertThat(OciFixtures.files(dest))
          .containsExactlyInAnyOrderEntriesOf(OciFixtures.files(model));
    }
  }

  @Test
  void aSecondPullOfTheSameImageFetchesNothing() throws Exception {
    PackResult packed =
        OciFixtures.pack(
            registries, model, ref("models/warm:v1"), Optional.empty(), Compression.NONE, tmp);
    Path dest = tmp.resolve("warm");
    OciFixtures.pull(registries, ref("models/warm:v1"), dest);
    PullResult again = OciFixtures.pull(registries, ref("models/warm:v1"), dest);
    assertThat(again.upToDate()).isTrue();
    assertThat(again.fetchedBytes()).isZero();
    assertThat(again.digest()).isEqualTo(packed.digest());
    try (var listing = Files.list(dest)) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".stowage-oci-"));
    }
  }

  @Test
  void bytesThatNoLongerMatchTheirDigestAreRefusedByTheRegistryAsAnIntegrityFailure() {
    // The client does not hash what it uploads a second time: a model file changed after it was
    // hashed is caught by the registry's own check, in one PUT and in chunked uploads alike.
    RegistryClient client = registries.client(registry.address());
    for (int size : new int[] {1000, (5 << 20) / 2}) {
      byte[] bytes = new byte[size];
      new java.util.Random(size).nextBytes(bytes);
      byte[] before = bytes.clone();
      before[0] ^= 1;
      Digest hashedBefore = Digest.of(before);
      assertThatThrownBy(
              () ->
                  client.upload(
                      "models/changed",
                      hashedBefore,
                      bytes.length,
                      () -> new ByteArrayInputStream(bytes)))
          .as("%d bytes", size)
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.INTEGRITY))
          .hasMessageContaining("modified during pack");
    }
  }
}
