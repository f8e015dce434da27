package io.stowage.serving.validation;

import static io.stowage.serving.Fixtures.RUNTIME;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.serving.Fixtures;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reference §5 and the API server's own rules: every message, exactly. */
class ValidationTest {

  static Stream<Arguments> singleErrors() {
    String storageUris = "storageUris:\n";
    return Stream.of(
        Arguments.of(
            "name with a dot",
            Fixtures.isvc("s3://b/m").replace("name: m\n", "name: my.model\n"),
            "metadata.name: the InferenceService \"my.model\" is invalid: a InferenceService name"
                + " must consist of lower case alphanumeric characters or '-', and must start with"
                + " alphabetical character. (e.g. \"my-name\" or \"abc-123\", regex used for"
                + " validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"),
        Arguments.of(
            "name too long for the app label",
            Fixtures.isvc("s3://b/m").replace("name: m\n", "name: " + "a".repeat(49) + "\n"),
            "metadata.name: \""
                + "a".repeat(49)
                + "\" is 49 characters; at most 48 fit, because the label app: isvc."
                + "a".repeat(49)
                + "-predictor must be at most 63 characters"),
        Arguments.of(
            "inline container name",
            Fixtures.isvc("s3://b/m")
                .replace("      runtime: rt", "      runtime: rt\n      name: x"),
            "spec.predictor.model.name: the 'name' field is not allowed in standard predictor"),
        Arguments.of(
            "storageUri and storageUris",
            Fixtures.isvc("s3://b/m", "", storageUris + "  - {uri: \"s3://b/x\"}"),
            "spec.predictor.storageUris: Setting both StorageURI and StorageURIs is not"
                + " supported."),
        Arguments.of(
            "storageUri and storage.path",
            Fixtures.isvc("s3://b/m")
                .replace("      runtime: rt", "      runtime: rt\n      storage: {path: /x}"),
            "spec.predictor.model.storage.path: must provide only one of storageUri and"
                + " storage.path"),
        Arguments.of(
            "empty storageUris uri",
            noUri(storageUris + "  - {uri: \"\"}"),
            "spec.predictor.storageUris[0].uri: storage URI cannot be empty"),
        Arguments.of(
            "mount path /",
            noUri(storageUris + "  - {uri: \"s3://b/x\", mountPath: /}"),
            "spec.predictor.storageUris[0].mountPath: storage path cannot be empty"),
        Arguments.of(
            "relative mount path",
            noUri(storageUris + "  - {uri: \"s3://b/x\", mountPath: mnt/x}"),
            "spec.predictor.storageUris[0].mountPath: storage path must be absolute: mnt/x"),
        Arguments.of(
            "mount path with ..",
            noUri(storageUris + "  - {uri: \"s3://b/x\", mountPath: /mnt/../etc}"),
            "spec.predictor.storageUris[0].mountPath: storage path cannot contain '..' for"
                + " security reasons: /mnt/../etc"),
        Arguments.of(
            "no common parent",
            noUri(
                storageUris
                    + "  - {uri: \"s3://b/x\", mountPath: /a/x}\n"
                    + "  - {uri: \"s3://b/y\", mountPath: /b/y}"),
            "spec.predictor.storageUris: storage paths must have a common parent directory."
                + " Current paths: [/a/x /b/y] have no common parent beyond root"),
        Arguments.of(
            "duplicate PVC mount paths",
            noUri(
                storageUris
                    + "  - {uri: \"pvc://a\", mountPath: /mnt/d}\n"
                    + "  - {uri: \"pvc://b\", mountPath: /mnt/d/}"),
            "spec.predictor.storageUris[1].mountPath: PVC storage paths must be unique"),
        Arguments.of(
            "clashing download mount paths",
            noUri(
                storageUris
                    + "  - {uri: \"s3://b/x\", mountPath: /mnt/m}\n"
                    + "  - {uri: \"s3://b/y\", mountPath: /mnt/m}"),
            "spec.predictor.storageUris[1].mountPath: mount path /mnt/m is used twice"),
        Arguments.of(
            "unsupported scheme",
            Fixtures.isvc("ftp://host/model"),
            "spec.predictor.model.storageUri: StorageURI not supported: storageUri, must be one of:"
                + " [gs://, s3://, pvc://, file://, https://, http://, hdfs://, webhdfs://, oci://,"
                + " hf://] or match https://{}.blob.core.windows.net/{}/{} or be an absolute or"
                + " relative local path. StorageUri [ftp://host/model] is not supported"),
        Arguments.of(
            "s3 without bucket",
            Fixtures.isvc("s3:///model"),
            "spec.predictor.model.storageUri: \"s3:///model\" names no bucket: write"
                + " s3://<bucket>[/<prefix>]"),
        Arguments.of(
            "bad bucket",
            Fixtures.isvc("s3://my bucket/m"),
            "spec.predictor.model.storageUri: bucket \"my bucket\" in \"s3://my bucket/m\" is not a"
                + " bucket name: use letters, digits, '.', '-' and '_'"),
        Arguments.of(
            "pvc without claim",
            Fixtures.isvc("pvc://"),
            "spec.predictor.model.storageUri: \"pvc://\" names no PersistentVolumeClaim: write"
                + " pvc://<claim>[/<path>]"),
        Arguments.of(
            "pvc claim with upper case",
            Fixtures.isvc("pvc://Model_PVC/x"),
            "spec.predictor.model.storageUri: \"Model_PVC\" in \"pvc://Model_PVC/x\" is not a"
                + " PersistentVolumeClaim name: lower-case letters, digits, '-' and '.', starting"
                + " and ending with a letter or digit"),
        Arguments.of(
            "pvc path escaping",
            Fixtures.isvc("pvc://claim/../x"),
            "spec.predictor.model.storageUri: the path in \"pvc://claim/../x\" contains '..': a"
                + " volume sub-path must stay inside it"),
        Arguments.of(
            "pvc absolute sub-path",
            Fixtures.isvc("pvc://claim//x"),
            "spec.predictor.model.storageUri: the path in \"pvc://claim//x\" starts with '/': a"
                + " volume sub-path must be relative"),
        Arguments.of(
            "oci without image",
            Fixtures.isvc("oci://"),
            "spec.predictor.model.storageUri: \"oci://\" names no image: write"
                + " oci://<registry>/<repository>:<tag>"),
        Arguments.of(
            "oci upper-case repository",
            Fixtures.isvc("oci://quay.io/Org/Model:v1"),
            "spec.predictor.model.storageUri: \"quay.io/Org/Model:v1\" in"
                + " \"oci://quay.io/Org/Model:v1\" is not an image reference: write"
                + " <registry>/<repository>[:<tag>][@<digest>], with a lower-case repository"),
        // URIs carrying credentials: the message names them redacted (UriRedaction).
        Arguments.of(
            "unsupported scheme with credentials",
            Fixtures.isvc("ftp://alice:pa55word@host/model?sig=s1gn4ture#access_token=fr4gment"),
            "spec.predictor.model.storageUri: StorageURI not supported: storageUri, must be one of:"
                + " [gs://, s3://, pvc://, file://, https://, http://, hdfs://, webhdfs://, oci://,"
                + " hf://] or match https://{}.blob.core.windows.net/{}/{} or be an absolute or"
                + " relative local path. StorageUri [ftp://***@host/model?sig=***#***] is not"
                + " supported"),
        Arguments.of(
            "bucket with user-info",
            Fixtures.isvc("s3://alice:pa55word@bucket/m?sig=s1gn4ture"),
            "spec.predictor.model.storageUri: bucket \"***@bucket\" in"
                + " \"s3://***@bucket/m?sig=***\" is not a bucket name: use letters, digits, '.',"
                + " '-' and '_'"),
        Arguments.of(
            "claim with user-info",
            Fixtures.isvc("pvc://alice:pa55word@claim/x"),
            "spec.predictor.model.storageUri: \"***@claim\" in \"pvc://***@claim/x\" is not a"
                + " PersistentVolumeClaim name: lower-case letters, digits, '-' and '.', starting"
                + " and ending with a letter or digit"),
        Arguments.of(
            "image with a token in its query",
            Fixtures.isvc("oci://quay.io/org/model:v1?token=s1gn4ture"),
            "spec.predictor.model.storageUri: \"quay.io/org/model:v1?token=***\" in"
                + " \"oci://quay.io/org/model:v1?token=***\" is not an image reference: write"
                + " <registry>/<repository>[:<tag>][@<digest>], with a lower-case repository"),
        Arguments.of(
            "unknown runtime",
            Fixtures.isvc("s3://b/m").replace("runtime: rt", "runtime: nope"),
            "spec.predictor.model.runtime: No ServingRuntimes or ClusterServingRuntimes with the"
                + " name: nope"),
        Arguments.of(
            "unparsable resources",
            Fixtures.isvc("s3://b/m")
                .replace(
                    "      runtime: rt",
                    "      runtime: rt\n      resources: {limits: {cpu: 2 cores}}"),
            "spec.predictor.model.resources.limits.cpu: \"2 cores\" is not a Kubernetes quantity"
                + " (e.g. 500m, 2, 4Gi)"),
        Arguments.of(
            "negative min replicas",
            Fixtures.isvc("s3://b/m", "", "minReplicas: -1"),
            "spec.predictor.minReplicas: 'MinReplicas' cannot be less than 0"),
        Arguments.of(
            "negative max replicas",
            Fixtures.isvc("s3://b/m", "", "maxReplicas: -1"),
            "spec.predictor.maxReplicas: 'MaxReplicas' cannot be less than 0"),
        Arguments.of(
            "min above max",
            Fixtures.isvc("s3://b/m", "", "minReplicas: 3\nmaxReplicas: 2"),
            "spec.predictor.minReplicas: 'MinReplicas' cannot be greater than MaxReplicas"),
        Arguments.of(
            "negative concurrency",
            Fixtures.isvc("s3://b/m", "", "containerConcurrency: -1"),
            "spec.predictor.containerConcurrency: parallelism cannot be less than 0"),
        Arguments.of(
            "unknown autoscaler class",
            Fixtures.isvc("s3://b/m", "serving.kserve.io/autoscalerClass: kpa", ""),
            "metadata.annotations[\"serving.kserve.io/autoscalerClass\"]: [kpa] is not a supported"
                + " autoscaler class type"),
        Arguments.of(
            "unsupported metric",
            Fixtures.isvc("s3://b/m", "serving.kserve.io/autoscalerClass: hpa", "scaleMetric: gpu"),
            "spec.predictor.scaleMetric: [gpu] is not a supported metric"),
        Arguments.of(
            "cpu target out of range",
            Fixtures.isvc("s3://b/m", "", "scaleTarget: 101"),
            "spec.predictor.scaleTarget: the target utilization percentage should be a [1-100]"
                + " integer"),
        Arguments.of(
            "invalid deployment mode",
            Fixtures.isvc("s3://b/m").replace("deploymentMode: Standard", "deploymentMode: Fast"),
            "metadata.annotations[\"serving.kserve.io/deploymentMode\"]: invalid deployment mode."
                + " Supported modes are Knative, Standard and ModelMesh (got \"Fast\")"),
        Arguments.of(
            "Knative mode",
            Fixtures.isvc("s3://b/m")
                .replace("deploymentMode: Standard", "deploymentMode: Serverless"),
            "metadata.annotations[\"serving.kserve.io/deploymentMode\"]: deployment mode Knative is"
                + " not supported: Stowage plans Standard mode only; set the annotation to"
                + " Standard"),
        Arguments.of(
            "default mode of a fresh install",
            Fixtures.isvc("s3://b/m")
                .replace("    serving.kserve.io/deploymentMode: Standard\n", ""),
            "metadata.annotations[\"serving.kserve.io/deploymentMode\"]: deployment mode Knative"
                + " (the inferenceservice-config default) is not supported: Stowage plans Standard"
                + " mode only; set the annotation to Standard"),
        Arguments.of(
            "uid annotation",
            Fixtures.isvc("s3://b/m", "serving.kserve.io/storage-initializer-uid: root", ""),
            "metadata.annotations[\"serving.kserve.io/storage-initializer-uid\"]: \"root\" is not a"
                + " user id (a non-negative integer)"),
        Arguments.of(
            "transformer",
            Fixtures.isvc("s3://b/m") + "  transformer: {containers: [{name: t, image: t}]}\n",
            "spec.transformer: transformers are not supported by Stowage yet"),
        Arguments.of(
            "multi-node",
            Fixtures.isvc("s3://b/m", "", "workerSpec: {}"),
            "spec.predictor.workerSpec: multi-node serving (workerSpec) is not supported by Stowage"
                + " yet"),
        Arguments.of(
            "two implementations",
            Fixtures.isvc("s3://b/m", "", "sklearn: {storageUri: \"s3://b/x\"}"),
            "spec.predictor: exactly one of [sklearn, xgboost, tensorflow, pytorch, triton, onnx,"
                + " pmml, lightgbm, paddle, huggingface, model, containers] must be specified in"
                + " PredictorSpec (found [sklearn, model])"));
  }

  static String noUri(String predictorExtra) {
    return Fixtures.isvc("", "", predictorExtra).replace("      storageUri: \"\"\n", "");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("singleErrors")
  void eachRuleHasOnePreciseMessage(String description, String isvc, String message) {
    assertThat(Fixtures.errors(RUNTIME, isvc)).containsExactly(message);
  }

  @Test
  void allErrorsOfAnObjectAreReportedTogether() {
    String isvc =
        Fixtures.isvc("s3:///m", "serving.kserve.io/autoscalerClass: kpa", "minReplicas: -1")
            .replace("runtime: rt", "runtime: nope")
            .replace("name: m\n", "name: Bad\n");
    List<String> errors = Fixtures.errors(RUNTIME, isvc);
    assertThat(errors)
        .hasSize(5)
        .anyMatch(e -> e.startsWith("metadata.name:"))
        .anyMatch(e -> e.startsWith("spec.predictor.model.storageUri:"))
        .anyMatch(e -> e.startsWith("spec.predictor.minReplicas:"))
        .anyMatch(e -> e.contains("autoscalerClass"))
        .anyMatch(e -> e.startsWith("spec.predictor.model.runtime:"));
  }

  @Test
  void unknownFieldsAreWarnedAboutNotCopied() {
    String isvc =
        Fixtures.isvc("s3://b/m", "", "notAField: 1")
            .replace(
                "      runtime: rt", "      runtime: rt\n      storageUris: [{uri: \"s3://b/x\"}]");
    var result = Fixtures.plan(RUNTIME, isvc);
    assertThat(result.warnings())
        .contains(
            "spec.predictor.notAField is not a field of the predictor; ignored",
            "spec.predictor.model.storageUris is not a field of the model; ignored");
    var pod = Fixtures.pod(((io.stowage.serving.PlanResult.Planned) result).workload());
    assertThat(pod.getAdditionalProperties()).isEmpty();
    assertThat(pod.getContainers().get(0).getAdditionalProperties()).isEmpty();
  }
}
