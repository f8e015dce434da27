package io.stowage.serving.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.stowage.serving.PlanErrors;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.api.ModelSpec;
import io.stowage.serving.api.PredictorSpec;
import io.stowage.serving.api.Quantities;
import io.stowage.serving.api.StorageUriSpec;
import io.stowage.serving.config.DeploymentMode;
import io.stowage.serving.config.InferenceServiceConfig;
import io.stowage.serving.storage.ModelUri;
import io.stowage.serving.storage.MultiUriWiring;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What KServe's validating webhook and controller reject (reference §5), with their messages, and
 * what the API server would reject later (name lengths, quantities, mount paths), with messages
 * that name the field and the fix. Every check runs, so all errors arrive together.
 */
public final class InferenceServiceValidator {
  private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  /** {@code isvc.<name>-predictor} is a label value: at most 63 characters. */
  public static final int MAX_NAME_LENGTH = 63 - "isvc.".length() - "-predictor".length();

  private InferenceServiceValidator() {}

  public static void validate(
      InferenceService isvc, InferenceServiceConfig config, PlanErrors errors) {
    name(isvc, errors);
    if (isvc.namespace().isEmpty()) {
      errors.add("metadata.namespace", "required: the InferenceService has no namespace");
    }
    mode(isvc, config, errors);
    components(isvc, errors);
    PredictorSpec p = isvc.predictor();
    implementations(p, errors);
    ModelSpec model = p.model();
    if (model != null) {
      ModelChecks.check(model, errors);
      String uri = model.storageUri();
      boolean hasUri = uri != null && !uri.isEmpty();
      if (hasUri && !p.storageUrisOrEmpty().isEmpty()) {
        errors.add(
            "spec.predictor.storageUris",
            "Setting both StorageURI and StorageURIs is not supported.");
      }
      if (hasUri && model.storage() != null && model.storage().path() != null) {
        errors.add(
            "spec.predictor.model.storage.path",
            "must provide only one of storageUri and storage.path");
      }
    }
    storageUris(p.storageUrisOrEmpty(), errors);
    ReplicaChecks.check(isvc, errors);
    uidAnnotation(isvc.annotations(), errors);
    warnUnknown(p, errors);
  }

  private static void name(InferenceService isvc, PlanErrors errors) {
    String name = isvc.name();
    if (!NAME.matcher(name).matches()) {
      errors.add(
          "metadata.name",
          "the InferenceService \""
              + name
              + "\" is invalid: a InferenceService name must consist of lower case alphanumeric"
              + " characters or '-', and must start with alphabetical character. (e.g. \"my-name\""
              + " or \"abc-123\", regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
    } else if (name.length() > MAX_NAME_LENGTH) {
      errors.add(
          "metadata.name",
          "\""
              + name
              + "\" is "
              + name.length()
              + " characters; at most "
              + MAX_NAME_LENGTH
              + " fit, because the label app: isvc."
              + name
              + "-predictor must be at most 63 characters");
    }
  }

  private static void mode(
      InferenceService isvc, InferenceServiceConfig config, PlanErrors errors) {
    String annotated = isvc.annotations().get(DeploymentMode.ANNOTATION);
    DeploymentMode mode;
    String field = "metadata.annotations[\"" + DeploymentMode.ANNOTATION + "\"]";
    if (annotated != null) {
      var parsed = DeploymentMode.parse(annotated);
      if (parsed.isEmpty()) {
        errors.add(field, DeploymentMode.INVALID + " (got \"" + annotated + "\")");
        return;
      }
      mode = parsed.get();
    } else {
      mode = config.defaultDeploymentMode();
    }
    if (mode != DeploymentMode.STANDARD) {
      errors.add(
          field,
          "deployment mode "
              + mode.label()
              + (annotated == null ? " (the inferenceservice-config default)" : "")
              + " is not supported: Stowage plans Standard mode only; set the annotation to"
              + " Standard");
    }
  }

  private static void components(InferenceService isvc, PlanErrors errors) {
    if (isvc.spec().predictor() == null) {
      errors.add("spec.predictor", "required: an InferenceService needs a predictor");
    }
    if (isvc.spec().transformer() != null) {
      errors.add("spec.transformer", "transformers are not supported by Stowage yet");
    }
    if (isvc.spec().explainer() != null) {
      errors.add("spec.explainer", "explainers are not supported by Stowage yet");
    }
    if (isvc.predictor().workerSpec() != null) {
      errors.add(
          "spec.predictor.workerSpec",
          "multi-node serving (workerSpec) is not supported by Stowage yet");
    }
  }

  private static void implementations(PredictorSpec p, PlanErrors errors) {
    List<String> found = new ArrayList<>(p.frameworks().keySet());
    if (p.model() != null) {
      found.add("model");
    }
    JsonNode containers = p.otherFields().get("containers");
    boolean custom = found.isEmpty() && containers != null && !containers.isEmpty();
    if (found.size() != 1 && !custom) {
      List<String> all = new ArrayList<>(PredictorSpec.FRAMEWORKS);
      all.add("model");
      all.add("containers");
      errors.add(
          "spec.predictor",
          "exactly one of "
              + all
              + " must be specified in PredictorSpec"
              + (found.isEmpty() ? "" : " (found " + found + ")"));
    }
  }

  private static void storageUris(List<StorageUriSpec> entries, PlanErrors errors) {
    List<String> downloadPaths = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      StorageUriSpec e = entries.get(i);
      String field = "spec.predictor.storageUris[" + i + "]";
      if (e.uriOrEmpty().isEmpty()) {
        errors.add(field + ".uri", "storage URI cannot be empty");
      } else {
        UriChecks.check(field + ".uri", e.uriOrEmpty(), errors);
      }
      String path = e.mountPathOrDefault();
      if (!MountPaths.check(field + ".mountPath", path, errors)) {
        continue;
      }
      if (!seen.add(MountPaths.normalize(path))) {
        errors.add(
            field + ".mountPath",
            (ModelUri.isPvc(e.uriOrEmpty())
                ? "PVC storage paths must be unique"
                : "mount path " + path + " is used twice"));
      }
      if (!ModelUri.isPvc(e.uriOrEmpty())) {
        downloadPaths.add(path);
      }
    }
    if (downloadPaths.size() > 1 && MultiUriWiring.commonParent(downloadPaths).equals("/")) {
      errors.add(
          "spec.predictor.storageUris",
          "storage paths must have a common parent directory. Current paths: "
              + "["
              + String.join(" ", downloadPaths)
              + "]"
              + " have no common parent beyond root");
    }
  }

  private static void uidAnnotation(Map<String, String> annotations, PlanErrors errors) {
    String uid = annotations.get("serving.kserve.io/storage-initializer-uid");
    if (uid != null && !uid.strip().matches("[0-9]+")) {
      errors.add(
          "metadata.annotations[\"serving.kserve.io/storage-initializer-uid\"]",
          "\"" + uid + "\" is not a user id (a non-negative integer)");
    }
  }

  private static void warnUnknown(PredictorSpec p, PlanErrors errors) {
    for (String field : p.unknownFields().keySet()) {
      errors.warn("spec.predictor." + field + " is not a field of the predictor; ignored");
    }
    ModelSpec model = p.model();
    if (model != null) {
      for (String field : model.unknownFields().keySet()) {
        errors.warn("spec.predictor.model." + field + " is not a field of the model; ignored");
      }
    }
  }

  /** Checks the quantities of a {@code resources} JSON object. */
  static void resources(String field, JsonNode resources, PlanErrors errors) {
    for (String section : List.of("limits", "requests")) {
      JsonNode values = resources.get(section);
      if (values == null || !values.isObject()) {
        continue;
      }
      for (Map.Entry<String, JsonNode> e : values.properties()) {
        String text = e.getValue().asText();
        if (!Quantities.isValid(text)) {
          errors.add(
              field + "." + section + "." + e.getKey(),
              "\"" + text + "\" is not a Kubernetes quantity (e.g. 500m, 2, 4Gi)");
        }
      }
    }
  }
}
