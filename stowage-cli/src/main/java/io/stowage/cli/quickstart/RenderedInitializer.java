package io.stowage.cli.quickstart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.stowage.serving.ClusterSnapshot;
import io.stowage.serving.PlanResult;
import io.stowage.serving.ServingPlanner;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.config.ConfigException;
import io.stowage.serving.credentials.SecretData;
import io.stowage.serving.manifest.ManifestException;
import io.stowage.serving.manifest.ManifestReader;
import io.stowage.serving.manifest.Manifests;
import io.stowage.serving.storage.StorageWiring;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference document's S3 example, pointed at the embedded S3 server and rendered through the
 * serving planner; what a kubelet would run for its {@code storage-initializer} init container: the
 * rendered args (with each volume mount mapped to a local directory) and the rendered env, {@code
 * secretKeyRef}s resolved from the example Secret and {@code $(VAR)} references expanded.
 */
record RenderedInitializer(
    List<String> args, Map<String, String> env, Map<String, String> shownEnv, String secretName) {
  private static final String EXAMPLES = "/io/stowage/cli/examples/";
  private static final List<String> FILES =
      List.of(
          "runtimes/aml-vllm-0.11.2-cpu.yaml", "s3/credentials.yaml", "s3/inferenceservice.yaml");
  private static final String ENDPOINT_ANNOTATION = "serving.kserve.io/s3-endpoint";
  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  /**
   * Renders the example with the Secret's endpoint and keys replaced by the embedded server's, and
   * resolves the init container against {@code workdir}.
   */
  static RenderedInitializer render(
      String hostPort, String accessKey, String secretKey, Path workdir)
      throws IOException, ManifestException, ConfigException {
    Manifests manifests = readExamples();
    Secret secret = manifests.secrets().get(0);
    secret.getMetadata().getAnnotations().put(ENDPOINT_ANNOTATION, hostPort);
    Map<String, String> data = new LinkedHashMap<>(secret.getData());
    data.put("AWS_ACCESS_KEY_ID", base64(accessKey));
    data.put("AWS_SECRET_ACCESS_KEY", base64(secretKey));
    secret.setData(data);
    ClusterSnapshot snapshot = manifests.snapshot();
    InferenceService isvc = manifests.inferenceServices().get(0);
    PlanResult result = ServingPlanner.plan(isvc, snapshot);
    if (!(result instanceof PlanResult.Planned planned)) {
      throw new IllegalStateException("the S3 example does not render: " + result);
    }
    PodSpec pod = planned.workload().deployment().getSpec().getTemplate().getSpec();
    Container init =
        pod.getInitContainers().stream()
            .filter(c -> StorageWiring.INIT_CONTAINER.equals(c.getName()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no storage-initializer rendered"));
    return resolve(init, secret, workdir);
  }

  private static RenderedInitializer resolve(Container init, Secret secret, Path workdir) {
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, String> shown = new LinkedHashMap<>();
    for (EnvVar e : Objects.requireNonNullElse(init.getEnv(), List.<EnvVar>of())) {
      EnvVarSource from = e.getValueFrom();
      if (from != null && from.getSecretKeyRef() != null) {
        SecretKeySelector ref = from.getSecretKeyRef();
        if (!SecretData.name(secret).equals(ref.getName())) {
          throw new IllegalStateException("env " + e.getName() + " refers to another Secret");
        }
        env.put(e.getName(), SecretData.value(secret, ref.getKey()).orElse(""));
        shown.put(e.getName(), "<Secret " + ref.getName() + " key " + ref.getKey() + ">");
      } else {
        String value = expand(Objects.requireNonNullElse(e.getValue(), ""), env);
        env.put(e.getName(), value);
        shown.put(e.getName(), value);
      }
    }
    List<String> args = new ArrayList<>();
    for (String arg : init.getArgs()) {
      args.add(localPath(arg, init.getVolumeMounts(), workdir));
    }
    return new RenderedInitializer(args, env, shown, SecretData.name(secret));
  }

  /** Kubernetes' {@code $(VAR)} expansion: references to variables defined earlier. */
  static String expand(String value, Map<String, String> earlier) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      m.appendReplacement(
          out, Matcher.quoteReplacement(earlier.containsKey(name) ? earlier.get(name) : m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A path inside a volume mount becomes the same path under {@code workdir}. */
  private static String localPath(String arg, List<VolumeMount> mounts, Path workdir) {
    for (VolumeMount mount : mounts) {
      String at = mount.getMountPath();
      if (arg.equals(at) || arg.startsWith(at + "/")) {
        return workdir.resolve(arg.substring(1)).toString();
      }
    }
    return arg;
  }

  private static Manifests readExamples() throws IOException, ManifestException {
    ManifestReader reader = new ManifestReader("default");
    Manifests all = Manifests.empty();
    for (String file : FILES) {
      try (InputStream in = RenderedInitializer.class.getResourceAsStream(EXAMPLES + file)) {
        if (in == null) {
          throw new IOException("example " + file + " is not on the classpath");
        }
        all = all.plus(reader.read(file, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    return all;
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
