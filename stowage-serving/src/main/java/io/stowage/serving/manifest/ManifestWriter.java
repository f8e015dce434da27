package io.stowage.serving.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stowage.serving.PlannedWorkload;
import io.stowage.serving.api.InferenceService;

/**
 * Writes planned objects as multi-document YAML that {@code kubectl apply -f -} accepts: one
 * document per object, map keys sorted so that output is stable, strings that look like numbers or
 * booleans quoted. Each InferenceService's objects are preceded by comment lines with what its
 * status would report.
 */
public final class ManifestWriter {
  private static final ObjectMapper YAML =
      new ObjectMapper(
              YAMLFactory.builder()
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                  .disable(YAMLGenerator.Feature.SPLIT_LINES)
                  .build())
          .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private ManifestWriter() {}

  /** One object as a YAML document starting with {@code ---}. */
  public static String document(Object object) {
    try {
      return YAML.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + object.getClass().getSimpleName(), e);
    }
  }

  /** The comment header and the documents of one InferenceService's workload. */
  public static String workload(InferenceService isvc, PlannedWorkload w) {
    StringBuilder out = new StringBuilder();
    out.append("# InferenceService ").append(isvc.namespace()).append('/').append(isvc.name());
    out.append('\n');
    if (w.runtimeName() != null) {
      out.append("#   runtime: ").append(w.runtimeKind()).append(' ').append(w.runtimeName());
      out.append('\n');
    }
    out.append("#   url: ").append(w.url()).append('\n');
    out.append("#   address: ").append(w.addressUrl()).append('\n');
    String uid = isvc.metadata().getUid();
    if (uid == null || uid.isEmpty()) {
      out.append("#   no ownerReferences: the InferenceService has no uid outside a cluster\n");
    }
    for (HasMetadata object : w.objects()) {
      out.append(document(object));
    }
    return out.toString();
  }
}
