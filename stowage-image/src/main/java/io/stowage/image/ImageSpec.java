package io.stowage.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One of the two images: its name, what its entrypoint runs, its class path and whether it carries
 * the tools' jars. Everything else (runtime, libraries, archive, user) they share.
 *
 * @param name the repository name, {@code stowage-initializer} or {@code stowage}
 * @param title the OCI title label's value
 * @param classpathFile the class-path argfile in the image
 * @param command what follows the main class: {@code initialize} for the init container (KServe
 *     gives it only {@code args: [SRC, DEST]}), nothing for the {@code stowage} command
 * @param withTools whether the image carries {@code /app/lib-tools}
 * @param jvmOptions options after the distribution's, which they override
 */
record ImageSpec(
    String name,
    String title,
    String classpathFile,
    List<String> command,
    boolean withTools,
    List<String> jvmOptions) {

  static final String MAIN_CLASS = "io.stowage.cli.Main";

  /** A numeric, non-root user; any other UID works too (every file is world-readable). */
  static final String USER = "65532:65532";

  static final ImageSpec INITIALIZER =
      new ImageSpec(
          "stowage-initializer",
          "Stowage storage initializer",
          RootFs.INITIALIZER_CLASSPATH,
          List.of("initialize"),
          false,
          List.of());

  /**
   * The controller's informer caches need more heap than a download (bench/RESULTS-controller.md).
   */
  static final ImageSpec TOOLS =
      new ImageSpec(
          "stowage", "Stowage", RootFs.TOOLS_CLASSPATH, List.of(), true, List.of("-Xmx256m"));

  /**
   * The entrypoint: the JVM started directly (no shell in the image, and a shell would drop
   * environment variables such as {@code <host>-headers} whose names are not identifiers), with the
   * options of the distribution's launcher ({@code @/app/jvm.options}), then those a read-only root
   * filesystem needs: no {@code /tmp} for performance data or native libraries.
   */
  List<String> entrypoint(String zstdLibrary) {
    List<String> cmd = new ArrayList<>();
    cmd.add(RootFs.JAVA + "/bin/java");
    cmd.add("@" + RootFs.JVM_OPTIONS);
    cmd.addAll(jvmOptions);
    cmd.add("-XX:-UsePerfData");
    cmd.add("-XX:+DisableAttachMechanism");
    cmd.addAll(ClassDataArchive.runtimeOptions());
    cmd.add("-Djava.library.path=" + RootFs.NATIVE);
    cmd.add("-DZstdNativePath=" + RootFs.NATIVE + "/" + zstdLibrary);
    cmd.add("-Dstowage.home=" + ImageContents.APP);
    cmd.add("-cp");
    cmd.add("@" + classpathFile);
    cmd.add(MAIN_CLASS);
    cmd.addAll(command);
    return List.copyOf(cmd);
  }

  /**
   * The environment: a UTF-8 locale (glibc's built-in {@code C.UTF-8}), without which the JVM
   * encodes file names as ASCII and a key with any other character could not be written.
   */
  static Map<String, String> environment() {
    // Ordered: Map.of iterates in an order drawn anew in every JVM, and the image config lists the
    // variables in iteration order, so the digest would change from one build to the next.
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LANG", "C.UTF-8");
    env.put("JAVA_HOME", RootFs.JAVA);
    env.put("PATH", RootFs.JAVA + "/bin");
    return env;
  }
}
