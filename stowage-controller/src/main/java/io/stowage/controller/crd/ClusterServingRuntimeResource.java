package io.stowage.controller.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.stowage.serving.api.ServingRuntimeSpec;

/**
 * {@code serving.kserve.io/v1alpha1} ClusterServingRuntime: a ServingRuntime for every namespace.
 */
// The records keep unknown fields in otherFields (an any-getter): no property of that name.
@SchemaSwap(
    originalType = io.stowage.serving.api.ServingRuntimeSpec.class,
    fieldName = "otherFields",
    targetType = void.class)
@SchemaSwap(
    originalType = io.stowage.serving.api.SupportedModelFormat.class,
    fieldName = "otherFields",
    targetType = void.class)
@Group(KServe.GROUP)
@Version("v1alpha1")
@Kind("ClusterServingRuntime")
@Plural("clusterservingruntimes")
@Singular("clusterservingruntime")
@AdditionalPrinterColumn(
    name = "Disabled",
    jsonPath = ".spec.disabled",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "ModelType",
    jsonPath = ".spec.supportedModelFormats[*].name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ClusterServingRuntimeResource extends CustomResource<ServingRuntimeSpec, Void> {}
