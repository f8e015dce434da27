package io.stowage.serving.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The {@code inferenceService} section: annotations and labels KServe does not copy from the
 * InferenceService to the workload.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceServiceSection(
    List<String> serviceAnnotationDisallowedList, List<String> serviceLabelDisallowedList) {
  public static final InferenceServiceSection FRESH_INSTALL =
      new InferenceServiceSection(List.of(), List.of());

  public InferenceServiceSection {
    serviceAnnotationDisallowedList =
        serviceAnnotationDisallowedList == null
            ? List.of()
            : List.copyOf(serviceAnnotationDisallowedList);
    serviceLabelDisallowedList =
        serviceLabelDisallowedList == null ? List.of() : List.copyOf(serviceLabelDisallowedList);
  }
}
