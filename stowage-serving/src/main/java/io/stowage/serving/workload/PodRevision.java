package io.stowage.serving.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.stowage.serving.api.ServingJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code storage.stowage.io/revision} on the pod template: sixteen hex digits of SHA-256 over the
 * template as planned and the InferenceService's {@code storage.stowage.io/retry} annotation. The
 * controller stops a revision whose initializer failed permanently and runs the next one; a new
 * retry value makes a new revision (and a rollout) without any other change. Written by the
 * planner, so that {@code render} shows it as the controller applies it.
 */
public final class PodRevision {
  public static final String ANNOTATION = "storage.stowage.io/revision";
  public static final String RETRY_ANNOTATION = "storage.stowage.io/retry";

  private static final ObjectMapper SORTED =
      ServingJson.mapper().copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private PodRevision() {}

  public static void stamp(Deployment deployment, Map<String, String> isvcAnnotations) {
    PodTemplateSpec template = deployment.getSpec().getTemplate();
    String text = canonical(template) + "\n" + isvcAnnotations.getOrDefault(RETRY_ANNOTATION, "");
    Map<String, String> annotations =
        new TreeMap<>(
            Objects.requireNonNullElse(template.getMetadata().getAnnotations(), Map.of()));
    annotations.put(ANNOTATION, sha256(text));
    template.getMetadata().setAnnotations(annotations);
  }

  /** The revision of a planned or running pod's metadata annotations, or null. */
  public static @org.jspecify.annotations.Nullable String of(
      @org.jspecify.annotations.Nullable Map<String, String> annotations) {
    return annotations == null ? null : annotations.get(ANNOTATION);
  }

  /**
   * The template as JSON with every object's keys sorted: maps built with {@code Map.of} iterate in
   * an order that changes from one JVM to the next, and the revision must not.
   */
  private static String canonical(PodTemplateSpec template) {
    try {
      Object plain = ServingJson.mapper().convertValue(template, Object.class);
      return SORTED.writeValueAsString(plain);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a pod template", e);
    }
  }

  private static String sha256(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
