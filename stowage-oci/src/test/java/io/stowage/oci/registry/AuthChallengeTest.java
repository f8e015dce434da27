package io.stowage.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
  @Test
  void parsesBearerChallengesWithQuotedParameters() {
    List<AuthChallenge> c =
        AuthChallenge.parse(
            List.of(
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
                    + "scope=\"repository:org/m:pull,push\",error=\"insufficient_scope\""));
    assertThat(c).hasSize(1);
    assertThat(c.get(0).isBearer()).isTrue();
    assertThat(c.get(0).param("realm")).contains("https://auth.example/token");
    assertThat(c.get(0).param("scope")).contains("repository:org/m:pull,push");
  }

  @Test
  void parsesSeveralChallengesAndEscapes() {
    List<AuthChallenge> c =
        AuthChallenge.parse(List.of("Basic realm=\"a \\\"quoted\\\" realm\", Bearer realm=x"));
    assertThat(c).extracting(AuthChallenge::scheme).containsExactly("basic", "bearer");
    assertThat(c.get(0).param("realm")).contains("a \"quoted\" realm");
    assertThat(c.get(1).param("realm")).contains("x");
  }
}
