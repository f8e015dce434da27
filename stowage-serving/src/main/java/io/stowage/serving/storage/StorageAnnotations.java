package io.stowage.serving.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.stowage.serving.PlanErrors;
import io.stowage.serving.api.Quantities;
import io.stowage.serving.api.ServingJson;
import io.stowage.serving.config.StorageInitializerConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code storage.stowage.io/} annotations of an InferenceService into a {@link
 * StoragePolicy}, reporting each invalid value, unknown name or contradicting pair as one line
 * against the annotation at fault. docs/storage-policy.md lists them.
 */
public final class StorageAnnotations {
  public static final String PREFIX = "storage.stowage.io/";
  static final String INITIALIZER = "initializer";
  static final String IMAGE = "initializer-image";
  static final String CPU_REQUEST = "initializer-cpu-request";
  static final String CPU_LIMIT = "initializer-cpu-limit";
  static final String MEMORY_REQUEST = "initializer-memory-request";
  static final String MEMORY_LIMIT = "initializer-memory-limit";
  static final String ENV_FROM_MODEL = "initializer-env-from-model";
  static final String ENV = "initializer-env";
  static final String VOLUME = "download-volume";
  static final String SIZE = "download-size";
  static final String STORAGE_CLASS = "download-storage-class";
  static final String CLAIM = "download-claim";

  /** Read by the controller, not the planner: a new value retries a stopped predictor. */
  static final String RETRY = "retry";

  static final List<String> KNOWN =
      List.of(
          INITIALIZER,
          IMAGE,
          CPU_REQUEST,
          CPU_LIMIT,
          MEMORY_REQUEST,
          MEMORY_LIMIT,
          ENV_FROM_MODEL,
          ENV,
          VOLUME,
          SIZE,
          STORAGE_CLASS,
          CLAIM,
          RETRY);

  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  private static final Pattern OBJECT_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern IMAGE_REF = Pattern.compile("\\S+");
  private static final String ENV_EXAMPLE = "{\"HF_ENDPOINT\": \"https://hf.example\"}";

  private final Map<String, String> values = new LinkedHashMap<>();
  private final PlanErrors errors;

  private StorageAnnotations(Map<String, String> annotations, PlanErrors errors) {
    this.errors = errors;
    annotations.forEach(
        (k, v) -> {
          if (k.startsWith(PREFIX)) {
            values.put(k.substring(PREFIX.length()), v.strip());
          }
        });
  }

  /** The policy of these annotations; errors go to {@code errors}, defaults fill the rest. */
  public static StoragePolicy parse(
      Map<String, String> annotations, StorageInitializerConfig config, PlanErrors errors) {
    return new StorageAnnotations(annotations, errors).policy(config);
  }

  /** The field a plan error names for annotation {@code name} (without the prefix). */
  static String field(String name) {
    return "metadata.annotations[" + PREFIX + name + "]";
  }

  private StoragePolicy policy(StorageInitializerConfig config) {
    int before = errors.count();
    new TreeSet<>(values.keySet())
        .stream()
            .filter(k -> !KNOWN.contains(k))
            .forEach(
                k ->
                    errors.add(
                        field(k),
                        "unknown Stowage annotation; known: " + String.join(", ", KNOWN)));
    boolean initializer = initializer();
    if (!initializer) {
      KNOWN.stream()
          .filter(k -> !k.equals(INITIALIZER) && !k.equals(RETRY) && values.containsKey(k))
          .forEach(
              k ->
                  errors.add(
                      field(k), "has no effect with " + PREFIX + INITIALIZER + ": disabled"));
    }
    String image = image();
    Map<String, String> requests = new LinkedHashMap<>();
    Map<String, String> limits = new LinkedHashMap<>();
    quantity(CPU_REQUEST, "500m").ifPresent(q -> requests.put("cpu", q));
    quantity(MEMORY_REQUEST, "16Gi").ifPresent(q -> requests.put("memory", q));
    quantity(CPU_LIMIT, "2").ifPresent(q -> limits.put("cpu", q));
    quantity(MEMORY_LIMIT, "16Gi").ifPresent(q -> limits.put("memory", q));
    notAboveLimit(CPU_REQUEST, requests.get("cpu"), limits.get("cpu"), config.cpuLimit());
    notAboveLimit(
        MEMORY_REQUEST, requests.get("memory"), limits.get("memory"), config.memoryLimit());
    List<String> fromModel = envNames();
    List<EnvVar> extra = extraEnv();
    DownloadTarget target = target();
    if (errors.count() > before) {
      return StoragePolicy.DEFAULT;
    }
    return new StoragePolicy(
        initializer,
        image,
        requests,
        limits,
        fromModel,
        extra,
        target,
        Set.copyOf(values.keySet().stream().map(k -> PREFIX + k).toList()));
  }

  private boolean initializer() {
    String v = values.get(INITIALIZER);
    if (v == null || v.equals("enabled")) {
      return true;
    }
    if (v.equals("disabled")) {
      return false;
    }
    errors.add(field(INITIALIZER), quoted(v) + " is not one of enabled, disabled");
    return true;
  }

  private @Nullable String image() {
    String v = values.get(IMAGE);
    if (v != null && !IMAGE_REF.matcher(v).matches()) {
      errors.add(
          field(IMAGE),
          "must be an image reference without spaces, e.g. registry.example/stowage:1.0");
      return null;
    }
    return v;
  }

  private java.util.Optional<String> quantity(String name, String example) {
    String v = values.get(name);
    if (v == null) {
      return java.util.Optional.empty();
    }
    if (!Quantities.isValid(v)) {
      errors.add(field(name), quoted(v) + " is not a Kubernetes quantity (e.g. " + example + ")");
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(v);
  }

  /** The API server refuses a request above its limit; say so before anything is applied. */
  private void notAboveLimit(
      String requestName, @Nullable String request, @Nullable String limit, String configLimit) {
    if (request == null) {
      return;
    }
    String effective = limit != null ? limit : configLimit;
    if (effective.isEmpty() || !Quantities.isValid(effective)) {
      return;
    }
    BigDecimal r = Quantity.getAmountInBytes(new Quantity(request));
    BigDecimal l = Quantity.getAmountInBytes(new Quantity(effective));
    if (r.compareTo(l) > 0) {
      String where =
          limit != null
              ? ""
              : " of inferenceservice-config; set "
                  + PREFIX
                  + requestName.replace("request", "limit")
                  + " too";
      errors.add(field(requestName), request + " is more than the limit " + effective + where);
    }
  }

  private List<String> envNames() {
    String v = values.get(ENV_FROM_MODEL);
    List<String> names = new ArrayList<>();
    if (v == null) {
      return names;
    }
    for (String part : v.split(",", -1)) {
      String name = part.strip();
      if (!ENV_NAME.matcher(name).matches()) {
        errors.add(
            field(ENV_FROM_MODEL),
            quoted(name) + " is not an env var name; give names separated by commas");
        return List.of();
      }
      names.add(name);
    }
    return names;
  }

  private List<EnvVar> extraEnv() {
    String v = values.get(ENV);
    if (v == null) {
      return List.of();
    }
    List<EnvVar> env = new ArrayList<>();
    String problem = "must be a JSON object of names to string values, e.g. " + ENV_EXAMPLE;
    JsonNode tree;
    try {
      tree = ServingJson.mapper().readTree(v);
    } catch (Exception e) {
      errors.add(field(ENV), problem);
      return List.of();
    }
    if (tree == null || !tree.isObject()) {
      errors.add(field(ENV), problem);
      return List.of();
    }
    for (Map.Entry<String, JsonNode> e : tree.properties()) {
      if (!e.getValue().isTextual() || !ENV_NAME.matcher(e.getKey()).matches()) {
        errors.add(field(ENV), problem);
        return List.of();
      }
      env.add(new EnvVar(e.getKey(), e.getValue().asText(), null));
    }
    return env;
  }

  private DownloadTarget target() {
    String kind = values.getOrDefault(VOLUME, "emptyDir");
    String size = quantity(SIZE, "100Gi").orElse(null);
    boolean sizeGiven = values.containsKey(SIZE);
    switch (kind) {
      case "emptyDir" -> {
        onlyWith(STORAGE_CLASS, "ephemeral");
        onlyWith(CLAIM, "pvc");
        return new DownloadTarget.EmptyDir(size);
      }
      case "ephemeral" -> {
        onlyWith(CLAIM, "pvc");
        String storageClass = objectName(STORAGE_CLASS);
        if (!sizeGiven) {
          errors.add(field(SIZE), "an ephemeral download volume needs a size, e.g. 100Gi");
        }
        return size == null
            ? DownloadTarget.DEFAULT
            : new DownloadTarget.Ephemeral(size, storageClass);
      }
      case "pvc" -> {
        onlyWith(STORAGE_CLASS, "ephemeral");
        onlyWith(SIZE, "emptyDir or ephemeral");
        if (!values.containsKey(CLAIM)) {
          errors.add(
              field(CLAIM),
              "a pvc download volume needs the name of an existing PersistentVolumeClaim");
        }
        String claim = objectName(CLAIM);
        return claim == null ? DownloadTarget.DEFAULT : new DownloadTarget.Claim(claim);
      }
      default -> {
        errors.add(field(VOLUME), quoted(kind) + " is not one of emptyDir, ephemeral, pvc");
        return DownloadTarget.DEFAULT;
      }
    }
  }

  private void onlyWith(String name, String volumeKinds) {
    if (values.containsKey(name)) {
      errors.add(field(name), "applies only with " + PREFIX + VOLUME + ": " + volumeKinds);
    }
  }

  private @Nullable String objectName(String name) {
    String v = values.get(name);
    if (v == null) {
      return null;
    }
    if (v.length() > 253 || !OBJECT_NAME.matcher(v).matches()) {
      errors.add(
          field(name),
          quoted(v) + " is not a valid object name (lower-case letters, digits, '-' and '.')");
      return null;
    }
    return v;
  }

  private static String quoted(String v) {
    return "\"" + v + "\"";
  }
}
