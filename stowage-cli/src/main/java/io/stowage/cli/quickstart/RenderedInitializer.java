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
import org.jspecify.annotations.Nullable;

/**
 * The reference document's S3 example, pointed at the embedded S3 server and rendered through the
 * serving planner; what a kubelet would run for its {@code storage-initializer} init container: the
 * rendered args and the rendered env, {@code secretKeyRef}s resolved from the example Secret and
 * {@code $(VAR)} references expanded. Quickstart runs it on this machine with each volume mount
 * mapped to a local directory; the image tests run it in a container with the pod's own paths.
 *
 * @param mountPaths where the pod mounts volumes into the container
 * @param runAsUser the container's or the pod's {@code runAsUser}, if either sets one
 */
public record RenderedInitializer(
    List<String> args,
    Map<String, String> env,
    Map<String, String> shownEnv,
    String secretName,
    List<String> mountPaths,
    @Nullable Long runAsUser) {
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
    RenderedInitializer inPod = inPod(hostPort, accessKey, secretKey);
    List<String> args = new ArrayList<>();
    for (String arg : inPod.args()) {
      args.add(localPath(arg, inPod.mountPaths(), workdir));
    }
    return new RenderedInitializer(
        args,
        inPod.env(),
        inPod.shownEnv(),
        inPod.secretName(),
        inPod.mountPaths(),
        inPod.runAsUser());
  }

  /** Renders the example as above, with the pod's own paths: what a container runtime runs. */
  public static RenderedInitializer inPod(String hostPort, String accessKey, String secretKey)
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
    @Nullable Long uid = null;
    if (init.getSecurityContext() != null) {
      uid = init.getSecurityContext().getRunAsUser();
    }
    if (uid == null && pod.getSecurityContext() != null) {
      uid = pod.getSecurityContext().getRunAsUser();
    }
    return resolve(init, secret, uid);
  }

  private static RenderedInitializer resolve(
      Container init, Secret secret, @Nullable Long runAsUser) {
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
    List<String> mounts = new ArrayList<>();
    for (VolumeMount mount : init.getVolumeMounts()) {
      mounts.add(mount.getMountPath());
    }
    return new RenderedInitializer(
        List.copyOf(init.getArgs()), env, shown, SecretData.name(secret), mounts, runAsUser);
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
  private static String localPath(String arg, List<String> mounts, Path workdir) {
    for (String at : mounts) {
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
