package io.stowage.serving.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The {@code security} section: whether predictor pods mount a service account token. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecurityConfig(Boolean autoMountServiceAccountToken) {
  public static final SecurityConfig FRESH_INSTALL = new SecurityConfig(true);

  public SecurityConfig {
    autoMountServiceAccountToken =
        autoMountServiceAccountToken == null || autoMountServiceAccountToken;
  }
}
