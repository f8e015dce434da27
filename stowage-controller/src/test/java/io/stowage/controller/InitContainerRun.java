package io.stowage.controller;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stowage.storage.initializer.Pair;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.uri.StorageUri;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What {@code stowage initialize} is given when the kubelet starts an init container: its {@code
 * args} (the image's entrypoint is {@code stowage initialize}, so a container without a {@code
 * command} passes them to it) and its environment as the kubelet resolves it: {@code secretKeyRef}s
 * read from the Secret, {@code $(VAR)} references to variables defined before expanded, {@code $$}
 * turned into {@code $}. Then the initializer's own parsing, exactly as the command runs it before
 * it fetches anything.
 */
record InitContainerRun(List<String> args, Map<String, String> environment) {
  InitContainerRun {
    args = List.copyOf(args);
    environment = Map.copyOf(environment);
  }

  /**
   * {@code container} of a Pod in {@code namespace}, resolved against the Secrets on the cluster.
   *
   * @throws IllegalStateException for a {@code command} (it would replace the entrypoint) or a kind
   *     of env source the kubelet would need more than Secrets for
   */
  static InitContainerRun of(Container container, KubernetesClient client, String namespace) {
    return of(container, ref -> secretValue(ref, client, namespace));
  }

  /** {@code container} with {@code secrets} giving each {@code secretKeyRef}'s value. */
  static InitContainerRun of(Container container, Function<SecretKeySelector, String> secrets) {
    if (container.getCommand() != null && !container.getCommand().isEmpty()) {
      throw new IllegalStateException(
          container.getName() + " sets a command; the image's entrypoint would not run");
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
      EnvVarSource from = e.getValueFrom();
      if (from == null) {
        env.put(e.getName(), expand(Objects.requireNonNullElse(e.getValue(), ""), env));
      } else if (from.getSecretKeyRef() != null) {
        env.put(e.getName(), secrets.apply(from.getSecretKeyRef()));
      } else {
        throw new IllegalStateException(
            e.getName()
                + " of "
                + container.getName()
                + " comes from neither a value nor a Secret");
      }
    }
    List<String> args = Objects.requireNonNullElse(container.getArgs(), List.<String>of());
    return new InitContainerRun(args.stream().map(a -> expand(a, env)).toList(), env);
  }

  /** {@code stowage initialize}'s reading of the arguments: the pairs, each source parsed. */
  List<Pair> pairs() {
    List<Pair> pairs = Pair.fromArguments(args);
    pairs.forEach(p -> StorageUri.parse(p.source()));
    return pairs;
  }

  /** {@code stowage initialize}'s reading of the environment. */
  InitializerSettings settings() {
    return InitializerSettings.fromEnvironment(environment);
  }

  private static String secretValue(
      SecretKeySelector ref, KubernetesClient client, String namespace) {
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    String encoded = secret == null ? null : secret.getData().get(ref.getKey());
    if (encoded == null) {
      throw new IllegalStateException(
          "the kubelet could not start the container: no key "
              + ref.getKey()
              + " in Secret "
              + ref.getName());
    }
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }

  /**
   * The kubelet's expansion: {@code $(NAME)} of a variable defined earlier, {@code $$} → {@code $}.
   */
  static String expand(String value, Map<String, String> defined) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '$') {
        out.append('$');
        i++;
      } else if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '(') {
        int end = value.indexOf(')', i);
        String name = end < 0 ? null : value.substring(i + 2, end);
        if (name != null && defined.containsKey(name)) {
          out.append(defined.get(name));
          i = end;
        } else {
          out.append(c);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
