package io.stowage.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * {@code WWW-Authenticate} challenges: any header values give a list of challenges (unparsable
 * parts skipped), never an exception; every challenge has a scheme and its parameter names are
 * lower case, so that {@code realm}, {@code service} and {@code scope} are found however the
 * registry spelt them. Corpus in {@code AuthChallengeFuzzTestInputs}.
 */
class AuthChallengeFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void anyHeaderValuesGiveChallenges(FuzzedDataProvider data) {
    String first = data.consumeString(300);
    String second = data.consumeRemainingAsString();
    List<AuthChallenge> challenges = AuthChallenge.parse(List.of(first, second));
    for (AuthChallenge c : challenges) {
      assertThat(c.scheme()).isNotEmpty();
      c.isBearer();
      c.isBasic();
      c.param("realm");
    }
  }
}
