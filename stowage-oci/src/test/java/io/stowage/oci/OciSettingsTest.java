package io.stowage.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.storage.settings.InitializerSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciSettingsTest {
  private static OciSettings from(Map<String, String> env) {
    return OciSettings.from(
        env, InitializerSettings.fromEnvironment(env), OciSettings.Overrides.none());
  }

  @Test
  void tokenRealmsOutsideTheRegistrysDomainComeOnlyFromTheAllowList() {
    assertThat(from(Map.of("HOME", "/nonexistent")).registry().tokenRealms()).isEmpty();
    assertThat(
            from(Map.of(
                    "HOME", "/nonexistent",
                    "STOWAGE_OCI_TOKEN_REALMS", " authn.nvidia.com, SSO.RedHat.com ,"))
                .registry()
                .tokenRealms())
        .containsExactlyInAnyOrder("authn.nvidia.com", "sso.redhat.com");
  }
}
