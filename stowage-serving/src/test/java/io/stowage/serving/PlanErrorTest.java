package io.stowage.serving;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlanErrorTest {
  @Test
  void aPlanErrorIsOneLineWhateverItQuotes() {
    // Found by RenderFuzzTest: a container's command item that is an object gave Jackson's
    // two-line message, and errors reach conditions, events and render's output one per line.
    PlanError e =
        new PlanError(
            "spec.predictor", "cannot be converted to a pod: Cannot deserialize\n at [Source: x]");
    assertThat(e.message())
        .isEqualTo("cannot be converted to a pod: Cannot deserialize  at [Source: x]");
  }
}
