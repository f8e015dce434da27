package io.stowage.controller.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.stowage.common.UriRedaction;
import io.stowage.controller.crd.ModelStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code status.modelStatus.deployed}: the termination message a successful Stowage initializer
 * writes ({@code {"deployed":[{"source":…,"files":…,"bytes":…,"manifestDigest":…}]}}), read from
 * the newest pod whose initializer finished. Anything else there (another initializer's text) gives
 * nothing: the status never guesses.
 */
final class DeployedSummary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeployedSummary() {}

  static Optional<List<ModelStatus.Deployed>> newest(List<Pod> pods) {
    return pods.stream()
        .sorted(
            Comparator.comparing(
                    (Pod p) ->
                        Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), ""))
                .thenComparing(p -> p.getMetadata().getName())
                .reversed())
        .map(DeployedSummary::succeeded)
        .flatMap(Optional::stream)
        .findFirst()
        .flatMap(t -> parse(Objects.requireNonNullElse(t.getMessage(), "")));
  }

  private static Optional<ContainerStateTerminated> succeeded(Pod pod) {
    return ModelStatuses.initializer(pod)
        .map(s -> s.getState() == null ? null : s.getState().getTerminated())
        .filter(t -> Integer.valueOf(0).equals(t.getExitCode()));
  }

  static Optional<List<ModelStatus.Deployed>> parse(String message) {
    JsonNode entries;
    try {
      entries = JSON.readTree(message).path("deployed");
    } catch (Exception e) {
      return Optional.empty();
    }
    if (!entries.isArray() || entries.isEmpty()) {
      return Optional.empty();
    }
    List<ModelStatus.Deployed> out = new ArrayList<>();
    for (JsonNode e : entries) {
      if (!e.path("source").isTextual()) {
        return Optional.empty();
      }
      out.add(
          new ModelStatus.Deployed(
              // Written redacted by Stowage; redacted again in case another writer did not.
              UriRedaction.redact(e.path("source").asText()),
              e.path("files").isInt() ? e.path("files").asInt() : null,
              e.path("bytes").isIntegralNumber() ? e.path("bytes").asLong() : null,
              e.path("manifestDigest").isTextual() ? e.path("manifestDigest").asText() : null));
    }
    return Optional.of(out);
  }
}
