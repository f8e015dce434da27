package io.stowage.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stowage.oci.MediaTypes.Compression;
import io.stowage.oci.pack.PackResult;
import io.stowage.oci.registry.CredentialStore;
import io.stowage.oci.registry.Credentials;
import io.stowage.oci.registry.Registries;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.testkit.RegistryServer;
import io.stowage.testkit.RegistryTokenServer;
import io.stowage.testkit.SampleModel;
import io.stowage.testkit.Tools;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic auth (htpasswd) and the bearer-token challenge flow, against real registries. */
class RegistryAuthIT {
  static final String USER = "stowage";
  static final String PASSWORD = "registry-pw-42";

  /** bcrypt of {@link #PASSWORD} (cost 4): distribution accepts only bcrypt in htpasswd files. */
  static final String HTPASSWD =
      USER + ":$2b$04$wITlSWrol8vmFuaG.Mam5uuvYqb9hG801r3ZToo.XdgOJxAPn6So.";

  @TempDir static Path shared;
  @TempDir Path tmp;
  private static Path model;

  @BeforeAll
  static void model() {
    assumeTrue(
        Tools.needed(RegistryServer.available(), "docker-registry (docker-registry)"),
        "docker-registry is not installed");
    model = shared.resolve("model");
    SampleModel.write(model, 3L << 20, 2, 11);
  }

  private static CredentialStore login(String user, String password) {
    return registry -> new Credentials.Basic(user, password);
  }

  @Test
  void basicAuthWithTheRightPasswordPushesAndPulls() {
    try (RegistryServer registry =
            RegistryServer.start(tmp.resolve("basic"), new RegistryServer.Htpasswd(HTPASSWD));
        Registries r = OciFixtures.registries(login(USER, PASSWORD))) {
      String ref = "oci://" + registry.address() + "/private/llm:v1";
      PackResult packed = OciFixtures.pack(r, model, ref, Optional.empty(), Compression.NONE, tmp);
      OciFixtures.pull(r, packed.pinned(), tmp.resolve("dest"));
      assertThat(OciFixtures.files(tmp.resolve("dest")))
          .containsExactlyInAnyOrderEntriesOf(OciFixtures.files(model));
    }
  }

  @Test
  void basicAuthFailuresAreAuthenticationFailuresThatNeverShowThePassword() {
    try (RegistryServer registry =
            RegistryServer.start(tmp.resolve("basic"), new RegistryServer.Htpasswd(HTPASSWD));
        Registries wrong = OciFixtures.registries(login(USER, "not-the-password"));
        Registries none = OciFixtures.registries(CredentialStore.anonymous())) {
      String ref = "oci://" + registry.address() + "/private/llm:v1";
      assertThatThrownBy(() -> OciFixtures.pull(wrong, ref, tmp.resolve("a")))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.AUTH))
          .hasMessageContaining("rejected the credentials for user stowage")
          .hasMessageNotContaining("not-the-password");
      assertThatThrownBy(() -> OciFixtures.pull(none, ref, tmp.resolve("b")))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.AUTH))
          .hasMessageContaining("requires a user name and password");
    }
  }

  @Test
  void bearerTokensAreFetchedFromTheRealmWithTheRightScopes() {
    try (RegistryTokenServer tokens =
            RegistryTokenServer.start(tmp.resolve("keys"), USER, PASSWORD);
        RegistryServer registry =
            RegistryServer.start(tmp.resolve("token"), new RegistryServer.Token(tokens));
        Registries r = OciFixtures.registries(login(USER, PASSWORD))) {
      String ref = "oci://" + registry.address() + "/team/llm:v1";
      PackResult packed = OciFixtures.pack(r, model, ref, Optional.empty(), Compression.NONE, tmp);
      OciFixtures.pull(r, packed.pinned(), tmp.resolve("dest"));
      assertThat(OciFixtures.files(tmp.resolve("dest")))
          .containsExactlyInAnyOrderEntriesOf(OciFixtures.files(model));
      assertThat(tokens.scopes())
          .contains("repository:team/llm:pull,push", "repository:team/llm:pull");
      // Tokens are cached per scope, not fetched per request.
      assertThat(tokens.issued()).isLessThan(6);
    }
  }

  @Test
  void aTokenRealmThatGrantsNothingIsAnAuthenticationFailure() {
    try (RegistryTokenServer tokens =
            RegistryTokenServer.start(tmp.resolve("keys"), USER, PASSWORD);
        RegistryServer registry =
            RegistryServer.start(tmp.resolve("token"), new RegistryServer.Token(tokens));
        Registries anonymous = OciFixtures.registries(CredentialStore.anonymous());
        Registries wrong = OciFixtures.registries(login(USER, "wrong-password"))) {
      String ref = "oci://" + registry.address() + "/team/llm:v1";
      assertThatThrownBy(() -> OciFixtures.pull(anonymous, ref, tmp.resolve("a")))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.AUTH))
          .hasMessageContaining("requires credentials");
      assertThatThrownBy(() -> OciFixtures.pull(wrong, ref, tmp.resolve("b")))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.AUTH))
          .hasMessageContaining("refused user stowage")
          .hasMessageNotContaining("wrong-password");
    }
  }
}
