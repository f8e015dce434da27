package io.stowage.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An image unpacked by umoci into an OCI runtime bundle, and run by runc with the settings a
 * kubelet gives a restricted pod's container: the image's entrypoint followed by the pod's args,
 * the pod's environment, a numeric non-root user, a read-only root filesystem, no capabilities,
 * {@code no_new_privileges}, the runtime's default seccomp profile, and bind mounts for volumes and
 * {@code /dev/termination-log}. The container keeps the host's network namespace, so it reaches
 * servers on loopback only.
 */
final class OciBundle {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger CONTAINERS = new AtomicInteger();

  private final Path dir;
  private final List<String> entrypoint;

  private OciBundle(Path dir, List<String> entrypoint) {
    this.dir = dir;
    this.entrypoint = entrypoint;
  }

  /** Unpacks {@code layout:tag} (an OCI image layout directory) into {@code dir}. */
  static OciBundle unpack(Path layout, String tag, Path dir) throws Exception {
    Commands.run("umoci", "unpack", "--image", layout + ":" + tag, dir.toString());
    // umoci's config, derived from the image's; every run starts from it.
    Files.copy(dir.resolve("config.json"), dir.resolve("config.image.json"));
    ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    List<String> args = new ArrayList<>();
    config.path("process").path("args").forEach(a -> args.add(a.asText()));
    return new OciBundle(dir, List.copyOf(args));
  }

  List<String> entrypoint() {
    return entrypoint;
  }

  /** What one run of the container produced. */
  record Run(int exit, String stdout, String stderr) {
    String lastStderrLine() {
      String[] lines = stderr.strip().split("\n", -1);
      return lines[lines.length - 1];
    }
  }

  /**
   * Runs the container once.
   *
   * @param args appended to the image's entrypoint, as a pod's {@code args} are
   * @param mounts container path to host path, read-write
   */
  Run run(List<String> args, Map<String, String> env, long uid, long gid, Map<String, Path> mounts)
      throws Exception {
    return run(List.of(), args, env, uid, gid, mounts);
  }

  /** Runs the container once with {@code jvmOptions} added right after the entrypoint's java. */
  Run run(
      List<String> jvmOptions,
      List<String> args,
      Map<String, String> env,
      long uid,
      long gid,
      Map<String, Path> mounts)
      throws Exception {
    ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.image.json").toFile());
    ObjectNode process = (ObjectNode) config.get("process");
    ArrayNode argv = process.putArray("args");
    argv.add(entrypoint.get(0));
    jvmOptions.forEach(argv::add);
    entrypoint.subList(1, entrypoint.size()).forEach(argv::add);
    args.forEach(argv::add);
    ArrayNode envs = (ArrayNode) process.get("env");
    env.forEach((k, v) -> envs.add(k + "=" + v));
    process.put("terminal", false);
    process.put("noNewPrivileges", true);
    ObjectNode user = process.putObject("user");
    user.put("uid", uid);
    user.put("gid", gid);
    ObjectNode caps = process.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "inheritable", "permitted", "ambient")) {
      caps.putArray(set);
    }
    ((ObjectNode) config.get("root")).put("readonly", true);
    ((ObjectNode) config.get("linux")).set("seccomp", RuntimeDefaultSeccomp.profile());
    ArrayNode namespaces = (ArrayNode) config.path("linux").path("namespaces");
    for (int i = namespaces.size() - 1; i >= 0; i--) {
      if (namespaces.get(i).path("type").asText().equals("network")) {
        namespaces.remove(i);
      }
    }
    ArrayNode mountList = (ArrayNode) config.get("mounts");
    mounts.forEach(
        (inContainer, host) -> {
          ObjectNode m = mountList.addObject();
          m.put("destination", inContainer);
          m.put("type", "bind");
          m.put("source", host.toString());
          m.putArray("options").add("rbind").add("rw");
        });
    JSON.writeValue(dir.resolve("config.json").toFile(), config);
    String id = "stowage-it-" + ProcessHandle.current().pid() + "-" + CONTAINERS.incrementAndGet();
    Path out = dir.resolveSibling(id + ".out");
    Path err = dir.resolveSibling(id + ".err");
    Process p =
        new ProcessBuilder("runc", "run", "--bundle", dir.toString(), id)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      new ProcessBuilder("runc", "kill", id, "KILL").start().waitFor();
      p.destroyForcibly().waitFor();
      throw new IOException("container " + id + " did not finish in 5 minutes");
    }
    new ProcessBuilder("runc", "delete", "--force", id).start().waitFor();
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
