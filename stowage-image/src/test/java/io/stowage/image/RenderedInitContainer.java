package io.stowage.image;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.stowage.serving.PlanResult;
import io.stowage.serving.ServingPlanner;
import io.stowage.serving.credentials.SecretData;
import io.stowage.serving.manifest.ManifestReader;
import io.stowage.serving.manifest.Manifests;
import io.stowage.serving.storage.StorageWiring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code storage-initializer} init container of the repository's S3 example, as Stowage's
 * planner renders it, with its {@code secretKeyRef}s resolved the way the kubelet resolves them:
 * what a container runtime is asked to run.
 *
 * @param image the image the pod names
 * @param args the container's args (the image's entrypoint comes before them)
 * @param env the environment, secrets resolved
 * @param mountPaths where the pod mounts volumes into the container
 * @param runAsUser the container's or pod's {@code runAsUser}, if any
 */
record RenderedInitContainer(
    String image,
    List<String> args,
    Map<String, String> env,
    List<String> mountPaths,
    @Nullable Long runAsUser,
    boolean readOnlyRoot) {

  /** Renders {@code examples/s3} with its endpoint and keys pointing at a loopback S3 server. */
  static RenderedInitContainer s3Example(
      Path examples, String hostPort, String accessKey, String secretKey) throws Exception {
    ManifestReader reader = new ManifestReader("default");
    Manifests all = Manifests.empty();
    for (String file :
        List.of(
            "runtimes/aml-vllm-0.11.2-cpu.yaml",
            "s3/credentials.yaml",
            "s3/inferenceservice.yaml")) {
      all =
          all.plus(
              reader.read(file, Files.readString(examples.resolve(file), StandardCharsets.UTF_8)));
    }
    Secret secret = all.secrets().get(0);
    secret.getMetadata().getAnnotations().put("serving.kserve.io/s3-endpoint", hostPort);
    Map<String, String> data = new LinkedHashMap<>(secret.getData());
    data.put("AWS_ACCESS_KEY_ID", base64(accessKey));
    data.put("AWS_SECRET_ACCESS_KEY", base64(secretKey));
    secret.setData(data);
    PlanResult result = ServingPlanner.plan(all.inferenceServices().get(0), all.snapshot());
    if (!(result instanceof PlanResult.Planned planned)) {
      throw new IllegalStateException("the S3 example does not render: " + result);
    }
    PodSpec pod = planned.workload().deployment().getSpec().getTemplate().getSpec();
    Container init =
        pod.getInitContainers().stream()
            .filter(c -> StorageWiring.INIT_CONTAINER.equals(c.getName()))
            .findFirst()
            .orElseThrow();
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : Objects.requireNonNullElse(init.getEnv(), List.<EnvVar>of())) {
      if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
        SecretKeySelector ref = e.getValueFrom().getSecretKeyRef();
        env.put(e.getName(), SecretData.value(secret, ref.getKey()).orElse(""));
      } else {
        env.put(e.getName(), Objects.requireNonNullElse(e.getValue(), ""));
      }
    }
    List<String> mounts = new ArrayList<>();
    for (VolumeMount m : init.getVolumeMounts()) {
      mounts.add(m.getMountPath());
    }
    @Nullable Long uid = null;
    boolean readOnly = false;
    if (init.getSecurityContext() != null) {
      uid = init.getSecurityContext().getRunAsUser();
      readOnly = Boolean.TRUE.equals(init.getSecurityContext().getReadOnlyRootFilesystem());
    }
    if (uid == null && pod.getSecurityContext() != null) {
      uid = pod.getSecurityContext().getRunAsUser();
    }
    return new RenderedInitContainer(
        init.getImage(), List.copyOf(init.getArgs()), env, mounts, uid, readOnly);
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
