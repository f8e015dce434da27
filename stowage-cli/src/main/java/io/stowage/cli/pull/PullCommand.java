package io.stowage.cli.pull;

import io.stowage.cli.ConsoleLog;
import io.stowage.cli.registry.RegistryOptions;
import io.stowage.oci.ImageReference;
import io.stowage.oci.OciSettings;
import io.stowage.oci.pull.InitializerImageFetcher;
import io.stowage.oci.pull.PullResult;
import io.stowage.oci.pull.Puller;
import io.stowage.oci.registry.Registries;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.initializer.Pair;
import io.stowage.storage.initializer.StorageInitializer;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.uri.OciUri;
import io.stowage.storage.uri.StorageUri;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code stowage pull SRC DEST}: a model into a directory. For {@code oci://} the image's {@code
 * /models} tree, with the registry options; other URIs go through the initializer's sources.
 */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Pull a model into a directory: oci://REGISTRY/REPO[:TAG|@DIGEST] (the image's /models),"
          + " or any URI the initializer takes (s3://, hf://, https://).",
      "For images, prints the digest reference on stdout. Settings come from the environment as"
          + " for initialize."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:pulled (or already in place)",
      "1:internal error",
      "2:usage",
      "3:authentication",
      "4:not found",
      "5:network",
      "6:integrity (a digest does not match)",
      "7:disk",
      "8:unsafe source (traversal, absolute paths, escaping links, devices)"
    })
public final class PullCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SRC", description = "What to pull.")
  String source = "";

  @Parameters(index = "1", paramLabel = "DEST", description = "The destination directory.")
  Path destination = Path.of(".");

  @Mixin RegistryOptions registry = new RegistryOptions();

  private final Map<String, String> env;
  private final PrintStream out;

  public PullCommand() {
    this(System.getenv(), System.out);
  }

  PullCommand(Map<String, String> env, PrintStream out) {
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
          new ConsoleLog(System.err, "stowage.pull"), e.failure(), String.valueOf(e.getMessage()));
    }
    ConsoleLog log = RegistryOptions.log("pull", init);
    try {
      StorageUri uri = StorageUri.parse(source);
      if (!(uri instanceof OciUri oci)) {
        new StorageInitializer(init, log, new InitializerImageFetcher(env))
            .run(List.of(new Pair(source, destination)));
        return 0;
      }
      OciSettings settings = registry.settings(env, init);
      ImageReference ref = ImageReference.parse(oci.display());
      long started = System.nanoTime();
      try (Registries registries = new Registries(settings.registry())) {
        PullResult r =
            new Puller(registries, settings.pull(), log::info)
                .pull(ref, destination, oci.display());
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!r.upToDate()) {
          log.info(
              String.format(
                  Locale.ROOT,
                  "Pulled %s: %d files, %d bytes from %d layers (%d fetched, %d retries) in %.2f s",
                  ref,
                  r.files(),
                  r.bytes(),
                  r.layers(),
                  r.fetchedBytes(),
                  r.retries(),
                  seconds));
        }
        out.println(ref.pinned(r.digest()));
        out.flush();
      }
      return 0;
    } catch (StorageException e) {
      return RegistryOptions.fail(log, e.failure(), String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      return RegistryOptions.fail(log, Failure.INTERNAL, "Unexpected error: " + e);
    }
  }
}
