package io.stowage.cli.verify;

import io.stowage.cli.ConsoleLog;
import io.stowage.cli.registry.RegistryOptions;
import io.stowage.oci.ImageReference;
import io.stowage.oci.OciSettings;
import io.stowage.oci.registry.Registries;
import io.stowage.oci.verify.ModelVerifier;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.settings.InitializerSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stowage verify DEST}: the destination against its manifest and, for images, against the
 * image itself; one line per difference on stdout, exit 6 when anything differs.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check a model directory against its manifest (.stowage-manifest.jsonl): missing, extra and"
          + " changed files.",
      "For a model pulled from an image, also compare every file's bytes with the image's layers"
          + " (fetched again and verified by digest; --offline skips this)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:everything matches",
      "2:usage (no manifest in the directory)",
      "3:authentication",
      "4:the image is gone from the registry",
      "5:network",
      "6:differences found (listed on stdout)"
    })
public final class VerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DEST", description = "The model directory.")
  Path destination = Path.of(".");

  @Option(names = "--offline", description = "Only compare with the manifest; no registry access.")
  boolean offline;

  @Mixin RegistryOptions registry = new RegistryOptions();

  private final Map<String, String> env;
  private final PrintStream out;

  public VerifyCommand() {
    this(System.getenv(), System.out);
  }

  VerifyCommand(Map<String, String> env, PrintStream out) {
    this.env = env;
    this.out = out;
  }

  @Override
  public Integer call() {
    InitializerSettings init;
    try {
      init = InitializerSettings.fromEnvironment(env);
    } catch (StorageException e) {
      return RegistryOptions.fail(
          new ConsoleLog(System.err, "stowage.verify"),
          e.failure(),
          String.valueOf(e.getMessage()));
    }
    ConsoleLog log = RegistryOptions.log("verify", init);
    try {
      ModelVerifier.Report report = ModelVerifier.checkManifest(destination);
      List<ModelVerifier.Difference> diffs = new ArrayList<>(report.differences());
      log.info(
          "Checked "
              + report.files()
              + " files recorded from "
              + String.join(", ", report.sources())
              + " against the manifest");
      if (!offline && !report.images().isEmpty()) {
        OciSettings oci = registry.settings(env, init);
        try (Registries registries = new Registries(oci.registry())) {
          for (ImageReference image : report.images()) {
            List<ModelVerifier.Difference> content =
                ModelVerifier.checkImage(registries, oci.pull(), image, destination);
            log.info("Compared the files with the layers of " + image);
            for (ModelVerifier.Difference d : content) {
              if (!diffs.contains(d)
                  && diffs.stream()
                      .noneMatch(x -> x.path().equals(d.path()) && x.kind() == d.kind())) {
                diffs.add(d);
              }
            }
          }
        }
      }
      diffs.forEach(out::println);
      out.flush();
      if (diffs.isEmpty()) {
        log.info("OK: " + destination + " matches what was materialized");
        return 0;
      }
      return RegistryOptions.fail(
          log,
          Failure.INTEGRITY,
          diffs.size() + " difference" + (diffs.size() == 1 ? "" : "s") + " in " + destination);
    } catch (StorageException e) {
      return RegistryOptions.fail(log, e.failure(), String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      return RegistryOptions.fail(log, Failure.INTERNAL, "Unexpected error: " + e);
    }
  }
}
