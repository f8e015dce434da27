package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a program on the host as a container of a Pod sees its cluster, so that what runs it is
 * the in-cluster configuration, not a kubeconfig: the environment variables the kubelet sets
 * ({@code KUBERNETES_SERVICE_HOST}, {@code KUBERNETES_SERVICE_PORT}, {@code HOSTNAME}) beside the
 * container's own {@code env}, and the ServiceAccount's token, CA certificate and namespace at
 * {@value #SERVICE_ACCOUNT_DIR}, where the kubelet's projected volume puts them.
 *
 * <p>The files appear at that path only for the program: it runs in a mount namespace of its own
 * ({@code unshare --mount}; as a user that is not root, inside a user namespace as well), where a
 * small tmpfs covers {@code /run} ({@code /var/run} links to it on Debian) and the folder is bound
 * there. Nothing of the host's is changed. The program inherits no environment but {@code PATH} and
 * {@code JAVA_HOME}, which stand in for the image's own environment; its home is an empty folder,
 * so no {@code ~/.kube/config} is found.
 */
public final class PodEnvironment {
  public static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  /**
   * What the kubelet mounts for a Pod's ServiceAccount.
   *
   * @param namespace the Pod's namespace
   * @param token a token of the ServiceAccount (bound to the Pod, as the kubelet requests it)
   * @param caCertificate the cluster's CA certificate, PEM
   */
  public record ServiceAccount(String namespace, String token, Path caCertificate) {
    @Override
    public String toString() {
      return "ServiceAccount[namespace=" + namespace + ", token=(redacted)]";
    }
  }

  private PodEnvironment() {}

  /**
   * A process builder that runs {@code command} as the container {@code podName} would: {@code env}
   * is the container's environment with every {@code valueFrom} already resolved, {@code apiServer}
   * the address the {@code kubernetes} Service stands for, and {@code work} a folder for the
   * ServiceAccount's files and the empty home.
   */
  public static ProcessBuilder processBuilder(
      List<String> command,
      Map<String, String> env,
      String podName,
      URI apiServer,
      ServiceAccount account,
      Path work) {
    Tools.needed(Tools.onPath("unshare"), "unshare (util-linux)");
    Path secrets = writeServiceAccount(account, work.resolve("serviceaccount"));
    Path home = work.resolve("home");
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + home, e);
    }
    List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private"));
    if (!isRoot()) {
      argv.add("--map-root-user");
    }
    argv.addAll(
        List.of(
            "--",
            "/bin/sh",
            "-c",
            // The tmpfs first: /run has no secrets/ folder on a host, and creating one there would
            // change the host.
            "set -e; mount -t tmpfs -o mode=0755,size=1m stowage-pod-run /run;"
                + " mkdir -p "
                + SERVICE_ACCOUNT_DIR
                + "; mount --bind \"$1\" "
                + SERVICE_ACCOUNT_DIR
                + "; shift; exec \"$@\"",
            "sh",
            secrets.toString()));
    argv.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(argv);
    Map<String, String> environment = pb.environment();
    String path = environment.get("PATH");
    String javaHome = environment.get("JAVA_HOME");
    environment.clear();
    if (path != null) {
      environment.put("PATH", path);
    }
    if (javaHome != null) {
      environment.put("JAVA_HOME", javaHome);
    }
    environment.put("HOME", home.toString());
    environment.put("HOSTNAME", podName);
    environment.put("KUBERNETES_SERVICE_HOST", apiServer.getHost());
    environment.put("KUBERNETES_SERVICE_PORT", Integer.toString(apiServer.getPort()));
    environment.put("KUBERNETES_SERVICE_PORT_HTTPS", Integer.toString(apiServer.getPort()));
    environment.putAll(env);
    return pb;
  }

  private static Path writeServiceAccount(ServiceAccount account, Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("namespace"), account.namespace(), StandardCharsets.UTF_8);
      Files.copy(
          account.caCertificate(),
          dir.resolve("ca.crt"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Path token = dir.resolve("token");
      Files.deleteIfExists(token);
      Files.createFile(
          token,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(token, account.token(), StandardCharsets.UTF_8);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the ServiceAccount files into " + dir, e);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
