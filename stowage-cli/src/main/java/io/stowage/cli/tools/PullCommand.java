package io.stowage.cli.tools;

import io.stowage.cli.Redactor;
import io.stowage.cli.progress.ProgressView;
import io.stowage.cli.progress.Snapshot;
import io.stowage.oci.pull.InitializerImageFetcher;
import io.stowage.storage.initializer.ImageFetcher;
import io.stowage.storage.initializer.InitializerLog;
import io.stowage.storage.initializer.Pair;
import io.stowage.storage.initializer.StorageInitializer;
import io.stowage.storage.initializer.TransferWatcher;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.transfer.RelativePath;
import io.stowage.storage.transfer.TransferPlan;
import io.stowage.storage.transfer.TransferProgress;
import io.stowage.storage.transfer.TransferSummary;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code stowage pull URI DIR}: what {@code initialize} does for one pair (same layout, same
 * verification, same resume), with progress meant for people or JSON events for scripts.
 */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Download a model into a directory exactly as the storage initializer would place it in"
          + " /mnt/models: every byte verified, safe to interrupt and run again.",
      "URI is any source initialize accepts: s3://, https://, http://, hf://, oci://, pvc:// or a"
          + " local path. Settings come from the same environment variables, or the flags below."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:internal error",
      "2:usage or invalid setting",
      "3:authentication or permission",
      "4:bucket, prefix or model not found",
      "5:network (unreachable, timeouts, retries exhausted, deadline)",
      "6:integrity (size or checksum mismatch, object changed)",
      "7:disk (no space, permissions, I/O)",
      "8:unsafe source (a key would land outside the destination)"
    })
public final class PullCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URI", description = "The model's storage URI.")
  String uri = "";

  @Parameters(index = "1", paramLabel = "DIR", description = "Where the model goes.")
  Path dir = Path.of("");

  @Mixin ProgressOptions output = new ProgressOptions();

  @Mixin StoreOptions store = new StoreOptions();

  private final Map<String, String> environment;

  public PullCommand() {
    this(System.getenv());
  }

  PullCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    ToolRun run = new ToolRun("pull", System.err);
    Map<String, String> env = store.environment(environment);
    return run.run(env, (settings, redactor) -> pull(run, env, settings, redactor));
  }

  private int pull(
      ToolRun run, Map<String, String> env, InitializerSettings settings, Redactor redactor) {
    ProgressView view = output.open(run, settings, redactor);
    try {
      InitializerLog log =
          new InitializerLog() {
            @Override
            public void info(String message) {
              view.info(message);
            }

            @Override
            public void warn(String message) {
              view.warn(message);
            }
          };
      long started = System.nanoTime();
      ImageFetcher images = new InitializerImageFetcher(env, store.registry());
      new StorageInitializer(settings, log, images, new Watcher(view))
          .run(List.of(new Pair(uri, dir)));
      Map<String, Object> done = new LinkedHashMap<>();
      done.put("destination", dir.toString());
      done.put("seconds", (System.nanoTime() - started) / 1e9);
      view.event("done", done);
      return 0;
    } finally {
      view.close();
    }
  }

  /** Feeds the view: live progress while a transfer runs, events for {@code --json}. */
  private static final class Watcher implements TransferWatcher {
    private final ProgressView view;

    Watcher(ProgressView view) {
      this.view = view;
    }

    @Override
    public void started(String source, Path destination, TransferProgress progress) {
      view.track("Pulling " + source + " into " + destination, () -> snapshot(progress));
    }

    @Override
    public void planned(TransferPlan plan) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("files", plan.files());
      f.put("bytes", plan.bytes());
      f.put("upToDateFiles", plan.upToDate());
      f.put("upToDateBytes", plan.upToDateBytes());
      f.put("resumedBytes", plan.resumedBytes());
      f.put("bytesToFetch", plan.bytesToFetch());
      view.event("plan", f);
    }

    @Override
    public void published(RelativePath path, long size) {
      view.event("file", Map.of("path", path.value(), "size", size));
    }

    @Override
    public void removed(RelativePath path) {
      view.event("removed", Map.of("path", path.value()));
    }

    @Override
    public void finished(String source, Path destination, TransferSummary summary) {
      view.untrack();
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("source", source);
      f.put("destination", destination.toString());
      f.put("files", summary.plan().files());
      f.put("bytes", summary.plan().bytes());
      f.put("fetchedBytes", summary.fetchedBytes());
      f.put("retries", summary.retries());
      f.put("seconds", summary.elapsed().toNanos() / 1e9);
      view.event("transferred", f);
    }

    private static Snapshot snapshot(TransferProgress p) {
      return new Snapshot(
          p.doneBytes(),
          p.totalBytes(),
          p.publishedFiles(),
          p.totalFiles(),
          p.activeFiles().stream()
              .map(f -> new Snapshot.FileState(f.path().value(), f.size(), f.done()))
              .toList(),
          p.unit());
    }
  }
}
