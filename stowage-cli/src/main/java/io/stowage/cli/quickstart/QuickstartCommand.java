package io.stowage.cli.quickstart;

import io.stowage.testkit.S3ProxyServer;
import io.stowage.testkit.S3Seeder;
import io.stowage.testkit.SampleModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts an S3 server on loopback, uploads a generated model shaped like a Hugging Face LLM,
 * renders the reference document's S3 example through the serving planner (as {@code stowage
 * render} and the controller do), runs {@code stowage initialize} as a separate process with
 * exactly the rendered init container's arguments and environment, verifies every byte, and runs it
 * a second time to show that a restarted initializer finds the model in place.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = "Run the storage initializer end to end against an embedded S3 server.")
public final class QuickstartCommand implements Callable<Integer> {
  static final String BUCKET = "models";
  static final String MODEL = "Qwen2.5-0.5B-Instruct";

  @Option(
      names = "--shards",
      defaultValue = "4",
      description = "Number of weight shards (default ${DEFAULT-VALUE}).")
  int shards;

  @Option(
      names = "--shard-size-mib",
      defaultValue = "64",
      description = "Size of each shard in MiB (default ${DEFAULT-VALUE}).")
  int shardSizeMib;

  @Option(
      names = "--workdir",
      description =
          "Where to put the server's data and the model (default: a temporary directory).")
  @Nullable Path workdir;

  @Option(names = "--keep", description = "Keep the working directory afterwards.")
  boolean keep;

  @Option(
      names = "--cds-archive",
      description =
          "Also write a JVM class-data archive of the classes the initializer loads to this file"
              + " (the build does this, so that the launcher starts faster).")
  @Nullable Path cdsArchive;

  @Option(
      names = "--class-list",
      description =
          "Also write the names of the classes the initializer loads to this file (the container"
              + " image build dumps its own class-data archive from it, for the image's paths).")
  @Nullable Path classList;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (!hasEmbeddedServer()) {
      System.err.println(
          "stowage quickstart: this installation has no embedded S3 server (the container images"
              + " leave it out); run quickstart from the distribution"
              + " (stowage-cli/target/stowage)");
      return 2;
    }
    if (shards < 1 || shardSizeMib < 1) {
      System.err.println("--shards and --shard-size-mib must be at least 1");
      return 2;
    }
    Path work =
        workdir != null
            ? Files.createDirectories(workdir)
            : Files.createTempDirectory("stowage-quickstart-");
    try {
      return runIn(work);
    } finally {
      if (!keep) {
        deleteTree(work);
      } else {
        out.println("Working directory kept: " + work);
      }
    }
  }

  private int runIn(Path work) throws Exception {
    Path source = work.resolve("source").resolve(MODEL);
    Path mountPath = work.resolve("mnt").resolve("models");
    step(
        1,
        "Generating a sample model ("
            + shards
            + " shards of "
            + shardSizeMib
            + " MiB) in "
            + source);
    List<Path> files = SampleModel.write(source, (long) shardSizeMib << 20, shards, 42);

    step(2, "Starting an S3 server (S3Proxy) on loopback");
    try (S3ProxyServer s3 = S3ProxyServer.start(work.resolve("s3"));
        S3Seeder seeder = S3Seeder.forServer(s3)) {
      out.println("   endpoint " + s3.endpoint());
      step(
          3,
          "Uploading the model to s3://"
              + BUCKET
              + "/"
              + MODEL
              + " (large files as multipart uploads)");
      seeder.createBucket(BUCKET);
      long bytes = 0;
      for (Path rel : files) {
        Path file = source.resolve(rel);
        String key = MODEL + "/" + rel.toString().replace('\\', '/');
        long size = Files.size(file);
        bytes += size;
        if (size > 16L << 20) {
          seeder.putMultipart(BUCKET, key, file, 8L << 20);
        } else {
          seeder.putFile(BUCKET, key, file);
        }
      }
      out.printf(Locale.ROOT, "   %d files, %.1f MiB%n", files.size(), bytes / 1048576.0);

      step(
          4,
          "Rendering the S3 example (examples/s3, runtime aml-vllm-0.11.2-cpu) with its endpoint"
              + " annotation pointing at this server, and running its storage-initializer as the"
              + " pod would");
      RenderedInitializer rendered =
          RenderedInitializer.render(
              s3.endpoint().getHost() + ":" + s3.endpoint().getPort(),
              s3.accessKey(),
              s3.secretKey(),
              work);
      Map<String, String> podEnv = rendered.env();
      List<String> args = new ArrayList<>();
      args.add("initialize");
      args.addAll(rendered.args());
      out.println("   stowage " + String.join(" ", args));
      out.println(
          "   environment of the rendered init container (secretKeyRefs resolved from the Secret "
              + rendered.secretName()
              + "):");
      rendered.shownEnv().forEach((k, v) -> out.println("     " + k + "=" + v));
      long t0 = System.nanoTime();
      Path archiveInProgress =
          cdsArchive == null ? null : cdsArchive.resolveSibling(cdsArchive.getFileName() + ".tmp");
      int exit = runInitializer(args, podEnv, trainingOptions(archiveInProgress));
      double first = (System.nanoTime() - t0) / 1e9;
      if (cdsArchive != null && archiveInProgress != null && Files.exists(archiveInProgress)) {
        Files.move(
            archiveInProgress, cdsArchive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        out.println("   class-data archive written to " + cdsArchive);
      }
      if (exit != 0) {
        out.println("The initializer failed with exit code " + exit);
        return exit;
      }

      step(5, "Verifying every byte in " + mountPath + " against the source");
      String problem = compareTrees(source, mountPath);
      if (problem != null) {
        out.println("   MISMATCH: " + problem);
        return 6;
      }
      out.println(
          "   all " + files.size() + " files identical (SHA-256), nothing extra but the manifest");

      step(6, "Running it again, as a restarted init container would");
      long t1 = System.nanoTime();
      exit = runInitializer(args, podEnv, List.of());
      double second = (System.nanoTime() - t1) / 1e9;
      if (exit != 0) {
        out.println("The second run failed with exit code " + exit);
        return exit;
      }
      out.println();
      out.printf(
          Locale.ROOT,
          "Done: %.1f MiB in %.2f s (%.0f MiB/s, JVM start included); the restart took %.2f s and"
              + " fetched nothing.%n",
          bytes / 1048576.0,
          first,
          bytes / 1048576.0 / first,
          second);
      return 0;
    }
  }

  /** Whether quickstart's S3 server and seeding code (stowage-testkit) are on the class path. */
  private static boolean hasEmbeddedServer() {
    try {
      Class.forName(
          "io.stowage.testkit.S3ProxyServer", false, QuickstartCommand.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** JVM options of the first initializer run, which the build uses to train start-up data. */
  private List<String> trainingOptions(@Nullable Path archiveInProgress) {
    List<String> options = new ArrayList<>();
    if (archiveInProgress != null) {
      options.add("-XX:ArchiveClassesAtExit=" + archiveInProgress);
    }
    if (classList != null) {
      // Without sharing, so that every class is loaded (and listed) from its jar.
      options.add("-Xshare:off");
      options.add("-XX:DumpLoadedClassList=" + classList.toAbsolutePath());
    }
    return options;
  }

  private int runInitializer(List<String> args, Map<String, String> podEnv, List<String> jvmOptions)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(initializerCommand(args, jvmOptions));
    Map<String, String> env = pb.environment();
    Map<String, String> keep = new LinkedHashMap<>();
    for (String name : List.of("PATH", "JAVA_HOME", "STOWAGE_JAVA_OPTS", "TMPDIR")) {
      String v = System.getenv(name);
      if (v != null) {
        keep.put(name, v);
      }
    }
    env.clear();
    env.putAll(keep);
    env.putAll(podEnv);
    if (!jvmOptions.isEmpty()) {
      env.merge("STOWAGE_JAVA_OPTS", String.join(" ", jvmOptions), (a, b) -> a + " " + b);
    }
    env.put(
        "STOWAGE_TERMINATION_LOG",
        Path.of(args.get(args.size() - 1)).resolveSibling("termination-log").toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.println("   | " + line);
      }
    }
    return p.waitFor();
  }

  private static List<String> initializerCommand(List<String> args, List<String> jvmOptions) {
    List<String> cmd = new ArrayList<>();
    String home = System.getProperty("stowage.home");
    Path launcher = home == null ? null : Path.of(home, "bin", "stowage");
    if (launcher != null && Files.isExecutable(launcher)) {
      cmd.add(launcher.toString());
    } else {
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmOptions);
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add("io.stowage.cli.Main");
    }
    cmd.addAll(args);
    return cmd;
  }

  /** Null when {@code actual} holds exactly the files of {@code expected} (plus the manifest). */
  static @Nullable String compareTrees(Path expected, Path actual) throws IOException {
    java.util.SortedSet<String> want = relativeFiles(expected);
    java.util.SortedSet<String> got = relativeFiles(actual);
    got.remove(".stowage-manifest.jsonl");
    if (!want.equals(got)) {
      TreeSet<String> missing = new TreeSet<>(want);
      missing.removeAll(got);
      TreeSet<String> extra = new TreeSet<>(got);
      extra.removeAll(want);
      return "missing " + missing + ", unexpected " + extra;
    }
    for (String rel : want) {
      if (!sha256(expected.resolve(rel)).equals(sha256(actual.resolve(rel)))) {
        return rel + " differs";
      }
    }
    return null;
  }

  private static java.util.SortedSet<String> relativeFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      TreeSet<String> out = new TreeSet<>();
      s.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString()));
      return out;
    }
  }

  private static String sha256(Path file) throws IOException {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      try (var in = Files.newInputStream(file)) {
        int n;
        while ((n = in.read(buf)) > 0) {
          d.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void step(int n, String text) {
    out.println();
    out.println("[" + n + "/6] " + text);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
