package io.stowage.serving.runtime;

import io.stowage.serving.ClusterSnapshot;
import io.stowage.serving.PlanErrors;
import io.stowage.serving.api.ModelSpec;
import io.stowage.serving.api.ServingRuntime;
import io.stowage.serving.api.SupportedModelFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the runtime for {@code predictor.model}, as KServe's {@code GetServingRuntime} and {@code
 * GetSupportingRuntimes} do: an explicit {@code runtime} is looked up as a ServingRuntime in the
 * InferenceService's namespace first, then as a ClusterServingRuntime, and checked; without one,
 * the runtimes that auto-select the model's format are ranked, namespaced before cluster-scoped.
 */
public final class RuntimeResolver {
  static final String FIELD = "spec.predictor.model.runtime";
  static final String DEFAULT_PROTOCOL = "v1";

  /** KServe's protocol preference when ranking runtimes: lower is preferred. */
  private static final Map<String, Integer> PROTOCOL_PRIORITY =
      Map.of("v2", 1, "v1", 2, "grpc-v2", 3, "grpc-v1", 4);

  private RuntimeResolver() {}

  /** The runtime for {@code model}, or empty with the reason added to {@code errors}. */
  public static Optional<ResolvedRuntime> resolve(
      String namespace, ModelSpec model, ClusterSnapshot snapshot, PlanErrors errors) {
    String name = model.runtime();
    return name == null || name.isEmpty()
        ? autoSelect(namespace, model, snapshot, errors)
        : explicit(namespace, name, model, snapshot, errors);
  }

  private static Optional<ResolvedRuntime> explicit(
      String namespace, String name, ModelSpec model, ClusterSnapshot snapshot, PlanErrors errors) {
    Optional<ServingRuntime> found =
        snapshot.servingRuntime(namespace, name).or(() -> snapshot.clusterServingRuntime(name));
    if (found.isEmpty()) {
      errors.add(FIELD, "No ServingRuntimes or ClusterServingRuntimes with the name: " + name);
      return Optional.empty();
    }
    ServingRuntime runtime = found.get();
    int before = errors.count();
    if (runtime.spec().disabledFlag()) {
      errors.add(FIELD, "specified runtime " + name + " is disabled");
    }
    String protocol = model.protocolVersion();
    if (protocol != null && !protocol.isEmpty() && !supportsProtocol(runtime, protocol)) {
      errors.add(
          "spec.predictor.model.protocolVersion",
          "specified runtime " + name + " does not support specified protocol version");
    }
    if (!supportsFormat(runtime, model, false)) {
      errors.add(
          "spec.predictor.model.modelFormat",
          "specified runtime " + name + " does not support specified framework/version");
    }
    return errors.count() > before
        ? Optional.empty()
        : Optional.of(new ResolvedRuntime(runtime, effectiveProtocol(model, runtime)));
  }

  private static Optional<ResolvedRuntime> autoSelect(
      String namespace, ModelSpec model, ClusterSnapshot snapshot, PlanErrors errors) {
    String protocol =
        model.protocolVersion() == null || model.protocolVersion().isEmpty()
            ? DEFAULT_PROTOCOL
            : model.protocolVersion();
    List<ServingRuntime> candidates = new ArrayList<>();
    candidates.addAll(rank(snapshot.servingRuntimes(namespace), model, protocol));
    candidates.addAll(rank(snapshot.clusterServingRuntimes(), model, protocol));
    if (candidates.isEmpty()) {
      errors.add(
          "spec.predictor.model.modelFormat",
          "no runtime found to support predictor with model type: " + describe(model));
      return Optional.empty();
    }
    ServingRuntime chosen = candidates.get(0);
    return Optional.of(new ResolvedRuntime(chosen, effectiveProtocol(model, chosen)));
  }

  private static List<ServingRuntime> rank(
      List<ServingRuntime> runtimes, ModelSpec model, String protocol) {
    List<ServingRuntime> eligible = new ArrayList<>();
    for (ServingRuntime r : runtimes) {
      if (!r.spec().disabledFlag()
          && !r.spec().multiModelFlag()
          && r.spec().workerSpec() == null
          && supportsFormat(r, model, true)
          && supportsProtocol(r, protocol)) {
        eligible.add(r);
      }
    }
    eligible.sort(
        Comparator.comparingInt((ServingRuntime r) -> protocolRank(r.spec().protocolsOrEmpty()))
            .thenComparing(RuntimeResolver::creation, Comparator.reverseOrder())
            .thenComparing(ServingRuntime::name));
    // A stable sort: equal priorities keep the order above.
    eligible.sort(Comparator.comparingInt((ServingRuntime r) -> -priorityFor(r, model).orElse(-1)));
    return eligible;
  }

  private static String creation(ServingRuntime r) {
    // RFC 3339 timestamps in UTC sort as strings; a missing one counts as oldest.
    return Objects.requireNonNullElse(r.metadata().getCreationTimestamp(), "");
  }

  private static Optional<Integer> priorityFor(ServingRuntime r, ModelSpec model) {
    for (SupportedModelFormat f : r.spec().formatsOrEmpty()) {
      if (model.formatName().equals(f.name()) && f.autoSelectable() && f.priority() != null) {
        return Optional.of(f.priority());
      }
    }
    return Optional.empty();
  }

  static boolean supportsProtocol(ServingRuntime runtime, String protocol) {
    List<String> supported = runtime.spec().protocolsOrEmpty();
    return supported.isEmpty() || supported.contains(protocol);
  }

  /**
   * KServe compares labels: the model is {@code mt:<name>} or {@code mt:<name>:<version>}, each
   * runtime format gives {@code mt:<name>} and, with a version, {@code mt:<name>:<version>}. So a
   * model without a version matches any version; with one, only that version.
   */
  static boolean supportsFormat(ServingRuntime runtime, ModelSpec model, boolean autoSelectOnly) {
    String version = model.modelFormat() == null ? null : model.modelFormat().version();
    String wanted =
        "mt:" + model.formatName() + (version == null || version.isEmpty() ? "" : ":" + version);
    Set<String> offered = new HashSet<>();
    for (SupportedModelFormat f : runtime.spec().formatsOrEmpty()) {
      if (autoSelectOnly && !f.autoSelectable()) {
        continue;
      }
      offered.add("mt:" + f.name());
      if (f.version() != null && !f.version().isEmpty()) {
        offered.add("mt:" + f.name() + ":" + f.version());
      }
    }
    return offered.contains(wanted);
  }

  private static int protocolRank(List<String> protocols) {
    if (protocols.isEmpty()) {
      return Integer.MAX_VALUE;
    }
    int best = Integer.MAX_VALUE;
    for (String p : protocols) {
      best = Math.min(best, PROTOCOL_PRIORITY.getOrDefault(p, 0));
    }
    return best;
  }

  private static String effectiveProtocol(ModelSpec model, ServingRuntime runtime) {
    String own = model.protocolVersion();
    if (own != null && !own.isEmpty()) {
      return own;
    }
    return runtime.spec().protocolsOrEmpty().stream()
        .min(Comparator.comparingInt(p -> PROTOCOL_PRIORITY.getOrDefault(p, 0)))
        .orElse(DEFAULT_PROTOCOL);
  }

  private static String describe(ModelSpec model) {
    String version = model.modelFormat() == null ? null : model.modelFormat().version();
    return "{" + model.formatName() + " " + (version == null ? "<nil>" : version) + "}";
  }
}
