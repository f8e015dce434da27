package io.stowage.serving.pod;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An object's metadata as Go templates see an {@code ObjectMeta}: {@code .Name}, {@code .Labels}.
 */
public final class TemplateData {
  private TemplateData() {}

  public static Map<String, Object> of(ObjectMeta meta) {
    Map<String, Object> data = new HashMap<>();
    data.put("Name", Objects.requireNonNullElse(meta.getName(), ""));
    data.put("Namespace", Objects.requireNonNullElse(meta.getNamespace(), ""));
    data.put("GenerateName", Objects.requireNonNullElse(meta.getGenerateName(), ""));
    data.put("UID", Objects.requireNonNullElse(meta.getUid(), ""));
    data.put("Labels", Objects.requireNonNullElse(meta.getLabels(), Map.of()));
    data.put("Annotations", Objects.requireNonNullElse(meta.getAnnotations(), Map.of()));
    return data;
  }
}
