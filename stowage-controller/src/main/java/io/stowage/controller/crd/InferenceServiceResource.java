package io.stowage.controller.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.stowage.serving.api.InferenceServiceSpec;

/**
 * {@code serving.kserve.io/v1beta1} InferenceService as the API server stores it. The spec is the
 * planner's own record, so the CRD's schema and what the planner reads cannot drift apart; fields
 * the record does not type (the inline PodSpec and Container) are preserved, as in KServe's CRD.
 */
// The records keep unknown fields in otherFields (an any-getter): no property of that name.
@SchemaSwap(
    originalType = io.stowage.serving.api.InferenceServiceSpec.class,
    fieldName = "otherFields",
    targetType = void.class)
@SchemaSwap(
    originalType = io.stowage.serving.api.PredictorSpec.class,
    fieldName = "otherFields",
    targetType = void.class)
@SchemaSwap(
    originalType = io.stowage.serving.api.ModelSpec.class,
    fieldName = "otherFields",
    targetType = void.class)
@SchemaSwap(
    originalType = io.stowage.serving.api.ModelFormat.class,
    fieldName = "otherFields",
    targetType = void.class)
@SchemaSwap(
    originalType = io.stowage.serving.api.StorageSpec.class,
    fieldName = "otherFields",
    targetType = void.class)
@SchemaSwap(
    originalType = io.stowage.serving.api.StorageUriSpec.class,
    fieldName = "otherFields",
    targetType = void.class)
@Group(KServe.GROUP)
@Version("v1beta1")
@Kind("InferenceService")
@Plural("inferenceservices")
@Singular("inferenceservice")
@ShortNames("isvc")
@AdditionalPrinterColumn(
    name = "URL",
    jsonPath = ".status.url",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type=='Ready')].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class InferenceServiceResource
    extends CustomResource<InferenceServiceSpec, InferenceServiceStatus> implements Namespaced {}
