package io.stowage.cli.tools;

import io.stowage.cli.Redactor;
import io.stowage.cli.progress.ProgressView;
import io.stowage.cli.progress.Snapshot;
import io.stowage.storage.StorageException;
import io.stowage.storage.initializer.Units;
import io.stowage.storage.net.HttpClient;
import io.stowage.storage.s3.S3Push;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.uri.S3Uri;
import io.stowage.storage.uri.StorageUri;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stowage push DIR s3://BUCKET/PREFIX}: a model directory into S3, synced and verified. */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description = {
      "Upload a model directory to s3://BUCKET/PREFIX: parallel multipart uploads, each part"
          + " checked by the store against its MD5, files already there with the same content"
          + " skipped, interrupted uploads resumed, and the prefix listed at the end to prove it"
          + " matches the directory.",
      "Credentials and endpoint come from the same environment variables as initialize"
          + " (AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL, ...), or the flags below."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the prefix matches the directory",
      "1:internal error",
      "2:usage or invalid setting",
      "3:authentication or permission",
      "4:bucket not found",
      "5:network",
      "6:integrity (the store holds something else than was sent)",
      "7:disk (cannot read the directory)"
    })
public final class PushCommand implements Callable<Integer> {
  private static final long MIB = 1024 * 1024;

  @Parameters(index = "0", paramLabel = "DIR", description = "The model directory.")
  Path dir = Path.of("");

  @Parameters(index = "1", paramLabel = "s3://BUCKET/PREFIX", description = "Where it goes.")
  String target = "";

  @Option(
      names = "--delete",
      description = "Also delete keys under the prefix that the directory does not have.")
  boolean delete;

  @Mixin ProgressOptions output = new ProgressOptions();

  @Mixin StoreOptions store = new StoreOptions();

  private final Map<String, String> environment;

  public PushCommand() {
    this(System.getenv());
  }

  PushCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    ToolRun run = new ToolRun("push", System.err);
    return run.run(
        store.environment(environment), (settings, redactor) -> push(run, settings, redactor));
  }

  private int push(ToolRun run, InitializerSettings settings, Redactor redactor) {
    if (!(StorageUri.parse(target) instanceof S3Uri uri)) {
      throw StorageException.usage(
          "push uploads to S3: the target must be s3://BUCKET/PREFIX, not " + target);
    }
    // S3 wants parts of at least 5 MiB; a smaller download part size is raised, not refused.
    long partSize = Math.max(5 * MIB, settings.transfer().partSize());
    S3Push.Options options =
        new S3Push.Options(delete, partSize, settings.transfer().concurrency());
    ProgressView view = output.open(run, settings, redactor);
    try (HttpClient http = new HttpClient(settings.net())) {
      S3Push push =
          new S3Push(uri, settings.s3(), http, settings.transfer().retry(), listener(view, uri));
      view.info("Pushing " + dir + " to " + uri.display());
      view.track(
          "Pushing " + dir + " to " + uri.display(),
          () -> {
            S3Push.Progress p = push.progress();
            return new Snapshot(
                p.sentBytes(),
                p.totalBytes(),
                p.doneFiles(),
                p.totalFiles(),
                p.active().stream()
                    .map(f -> new Snapshot.FileState(f.key(), f.size(), f.sent()))
                    .toList());
          });
      S3Push.Summary s = push.push(dir, options);
      view.untrack();
      long nanos = s.elapsed().toNanos();
      view.info(
          String.format(
              Locale.ROOT,
              "Pushed %s to %s in %.1f s: %d of %d files uploaded (%s at %s), %d unchanged%s%s;"
                  + " the listing matches the directory",
              dir,
              uri.display(),
              nanos / 1e9,
              s.uploaded(),
              s.files(),
              Units.bytes(s.uploadedBytes()),
              Units.rate(s.uploadedBytes(), nanos),
              s.skipped(),
              s.resumedParts() > 0 ? ", " + s.resumedParts() + " parts resumed" : "",
              delete ? ", " + s.deleted() + " deleted" : ""));
      Map<String, Object> done = new LinkedHashMap<>();
      done.put("files", s.files());
      done.put("uploaded", s.uploaded());
      done.put("skipped", s.skipped());
      done.put("deleted", s.deleted());
      done.put("resumedParts", s.resumedParts());
      done.put("uploadedBytes", s.uploadedBytes());
      done.put("seconds", nanos / 1e9);
      view.event("done", done);
      return 0;
    } finally {
      view.close();
    }
  }

  private static S3Push.Listener listener(ProgressView view, S3Uri uri) {
    return new S3Push.Listener() {
      @Override
      public void planned(int files, int toUpload, long bytesToUpload) {
        view.info(
            files
                + (files == 1 ? " file" : " files")
                + " in the directory: "
                + toUpload
                + " to upload ("
                + Units.bytes(bytesToUpload)
                + "), "
                + (files - toUpload)
                + " already in "
                + uri.display());
        view.event(
            "plan", Map.of("files", files, "toUpload", toUpload, "bytesToUpload", bytesToUpload));
      }

      @Override
      public void uploaded(String key, long size) {
        view.event("file", Map.of("key", key, "size", size));
      }

      @Override
      public void deleted(String key) {
        view.info("Deleted " + key + ": the directory does not have it");
        view.event("deleted", Map.of("key", key));
      }

      @Override
      public void resumed(String key, int parts) {
        view.info("Resuming the interrupted upload of " + key + ": " + parts + " parts kept");
      }

      @Override
      public void warning(String message) {
        view.warn(message);
      }
    };
  }
}
