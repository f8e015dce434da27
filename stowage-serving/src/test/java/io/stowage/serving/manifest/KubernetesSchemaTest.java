package io.stowage.serving.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.stowage.serving.Examples;
import io.stowage.serving.Fixtures;
import io.stowage.serving.PlannedWorkload;
import io.stowage.serving.api.ServingJson;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rendered objects against the Kubernetes OpenAPI schema (apps/v1 Deployment, v1 Service,
 * autoscaling/v2 HPA), as checked by the Kubernetes project's own OpenAPI-generated Java models:
 * every field must be one the schema defines, required fields present, types right.
 */
class KubernetesSchemaTest {

  static void validate(HasMetadata object) throws Exception {
    JsonElement json = JsonParser.parseString(ServingJson.mapper().writeValueAsString(object));
    switch (object.getKind()) {
      case "Deployment" -> V1Deployment.validateJsonElement(json);
      case "Service" -> V1Service.validateJsonElement(json);
      case "HorizontalPodAutoscaler" -> V2HorizontalPodAutoscaler.validateJsonElement(json);
      default -> throw new AssertionError("unexpected kind " + object.getKind());
    }
  }

  static Stream<String> kinds() {
    return Examples.kinds();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void renderedExamplesFollowTheSchema(String kind) throws Exception {
    var manifests = Examples.read(Examples.inputs(kind));
    var result =
        io.stowage.serving.ServingPlanner.plan(
            manifests.inferenceServices().get(0), manifests.snapshot());
    assertThat(result).isInstanceOf(io.stowage.serving.PlanResult.Planned.class);
    for (HasMetadata object :
        ((io.stowage.serving.PlanResult.Planned) result).workload().objects()) {
      validate(object);
    }
  }

  static Stream<String> variants() {
    return Stream.of(
        Fixtures.isvc("s3://b/m", "serving.kserve.io/autoscalerClass: none", ""),
        Fixtures.isvc("oci+native://quay.io/org/model:v1"),
        Fixtures.isvc("hf://org/model", "storage.kserve.io/readonly: 'false'", ""),
        Fixtures.isvc(
                "", "", "storageUris: [{uri: \"pvc://d\", mountPath: /mnt/d}, {uri: \"s3://b/a\"}]")
            .replace("      storageUri: \"\"\n", ""),
        Fixtures.isvc("s3://b/m").replace("  name: m\n", "  name: m\n  uid: 0b5e-11\n"));
  }

  @ParameterizedTest
  @MethodSource("variants")
  void renderedVariantsFollowTheSchema(String isvc) throws Exception {
    PlannedWorkload w = Fixtures.planned(Fixtures.RUNTIME, isvc);
    List<HasMetadata> objects = new ArrayList<>(w.objects());
    for (HasMetadata object : objects) {
      validate(object);
    }
  }

  @Test
  void theCheckRejectsAFieldTheSchemaDoesNotDefine() {
    PlannedWorkload w = Fixtures.planned(Fixtures.RUNTIME, Fixtures.isvc("s3://b/m"));
    w.deployment().getSpec().getTemplate().getSpec().setAdditionalProperty("storageUris", "x");
    assertThatThrownBy(() -> validate(w.deployment()))
        .hasMessageContaining("storageUris")
        .hasMessageContaining("is not defined");
  }
}
