package io.stowage.serving.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The {@code service} section: whether predictor Services are headless. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceConfig(Boolean serviceClusterIPNone) {
  public static final ServiceConfig FRESH_INSTALL = new ServiceConfig(false);

  public ServiceConfig {
    serviceClusterIPNone = serviceClusterIPNone != null && serviceClusterIPNone;
  }
}
