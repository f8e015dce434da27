package io.stowage.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.stowage.serving.api.StorageContainerSpec;
import org.jspecify.annotations.Nullable;

/**
 * {@code serving.kserve.io/v1alpha1} ClusterStorageContainer: the init container for the URIs it
 * matches. {@code disabled} sits beside {@code spec}, as in KServe's type.
 */
// The records keep unknown fields in otherFields (an any-getter): no property of that name.
@SchemaSwap(
    originalType = io.stowage.serving.api.StorageContainerSpec.class,
    fieldName = "otherFields",
    targetType = void.class)
@SchemaSwap(
    originalType = io.stowage.serving.api.SupportedUriFormat.class,
    fieldName = "otherFields",
    targetType = void.class)
@Group(KServe.GROUP)
@Version("v1alpha1")
@Kind("ClusterStorageContainer")
@Plural("clusterstoragecontainers")
@Singular("clusterstoragecontainer")
public class ClusterStorageContainerResource extends CustomResource<StorageContainerSpec, Void> {
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private @Nullable Boolean disabled;

  public @Nullable Boolean getDisabled() {
    return disabled;
  }

  public void setDisabled(@Nullable Boolean disabled) {
    this.disabled = disabled;
  }
}
