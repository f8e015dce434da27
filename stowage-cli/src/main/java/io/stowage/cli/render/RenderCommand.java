package io.stowage.cli.render;

import io.stowage.serving.manifest.ManifestException;
import io.stowage.serving.manifest.ManifestReader;
import io.stowage.serving.manifest.Manifests;
import io.stowage.serving.manifest.Renderer;
import io.stowage.storage.Failure;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stowage render -f FILE_OR_DIR ...}: reads the manifests an operator applies, runs the
 * planner the controller runs, and prints the objects it would create, with no cluster and no
 * network.
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Print the Deployments, Services and HPAs the controller would create for InferenceServices,"
          + " as YAML for kubectl apply.",
      "Reads InferenceServices, Secrets, ServiceAccounts, ServingRuntimes,"
          + " ClusterServingRuntimes, ClusterStorageContainers and the inferenceservice-config"
          + " ConfigMap; other kinds are skipped."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:rendered",
      "1:internal error",
      "2:invalid input (unreadable file, bad YAML, an InferenceService that cannot be planned)"
    })
public final class RenderCommand implements Callable<Integer> {
  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE_OR_DIR",
      description =
          "A YAML or JSON file, or a directory of them (*.yaml, *.yml, *.json); repeatable.")
  List<Path> inputs = new ArrayList<>();

  @Option(
      names = {"-R", "--recursive"},
      description = "Also read the directories' subdirectories.")
  boolean recursive;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "Namespace of objects that name none (default ${DEFAULT-VALUE}).")
  String namespace = "default";

  private final PrintStream out;
  private final PrintStream err;

  public RenderCommand() {
    this(System.out, System.err);
  }

  RenderCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    Manifests manifests = Manifests.empty();
    ManifestReader reader = new ManifestReader(namespace);
    try {
      for (Path file : files()) {
        manifests =
            manifests.plus(
                reader.read(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      err.println("cannot read " + e.getMessage());
      return Failure.USAGE.exitCode();
    } catch (ManifestException e) {
      err.println(e.getMessage());
      return Failure.USAGE.exitCode();
    }
    Renderer.Outcome outcome = Renderer.render(manifests);
    outcome.warnings().forEach(w -> err.println("warning: " + w));
    if (!outcome.ok()) {
      outcome.errors().forEach(err::println);
      return Failure.USAGE.exitCode();
    }
    out.print(outcome.yaml());
    out.flush();
    return 0;
  }

  /** The files to read, in command-line order, each directory's files sorted by name. */
  List<Path> files() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        try (Stream<Path> s = recursive ? Files.walk(input) : Files.list(input)) {
          s.filter(Files::isRegularFile)
              .filter(RenderCommand::isManifest)
              .sorted()
              .forEach(files::add);
        }
      } else if (Files.isRegularFile(input)) {
        files.add(input);
      } else {
        throw new IOException(input + ": no such file or directory");
      }
    }
    return files;
  }

  private static boolean isManifest(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }
}
