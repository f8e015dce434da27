package io.stowage.cli.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.stowage.cli.Redactor;
import io.stowage.oci.ImageReference;
import io.stowage.oci.verify.ModelVerifier;
import io.stowage.storage.Failure;
import io.stowage.storage.initializer.Sources;
import io.stowage.storage.initializer.Units;
import io.stowage.storage.s3.LocalEtag;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.transfer.DestinationCheck;
import io.stowage.storage.transfer.Source;
import io.stowage.storage.uri.OciUri;
import io.stowage.storage.uri.StorageUri;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stowage verify DIR [URI]}: a downloaded model against the manifest its download wrote, and
 * optionally against its source as it is now.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check a directory that pull or initialize filled: every file the manifest records is"
          + " present with its size, and its content is hashed again and compared with the digest"
          + " it was verified against when it was downloaded. Files nobody downloaded are"
          + " reported as extra.",
      "With URI, also compare with the source as it is now: files added, removed or changed"
          + " there since the download.",
      "Files pulled from an OCI image are also hashed against the files the image's layers hold"
          + " (fetched from the registry, verified, nothing written), unless --offline."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the directory matches",
      "2:usage (not a directory that Stowage filled)",
      "3-5:the source could not be listed (credentials, not found, network)",
      "6:missing, extra, changed or outdated files, or an unfinished download"
    })
public final class VerifyCommand implements Callable<Integer> {
  private static final JsonFactory JSON = new JsonFactory();

  @Parameters(index = "0", paramLabel = "DIR", description = "The downloaded model.")
  Path dir = Path.of("");

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "URI",
      description = "The source to compare with, as given to pull or initialize.")
  @Nullable String uri;

  @Option(
      names = "--fast",
      description =
          "Compare sizes and modification times only; do not hash (misses same-size rewrites).")
  boolean fast;

  @Option(names = "--json", description = "One JSON document on stdout instead of text.")
  boolean json;

  @Option(
      names = "--offline",
      description =
          "Do not contact the registry for files pulled from an OCI image: check their size and"
              + " modification time only.")
  boolean offline;

  @Mixin StoreOptions store = new StoreOptions();

  private final Map<String, String> environment;

  public VerifyCommand() {
    this(System.getenv());
  }

  VerifyCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    ToolRun run = new ToolRun("verify", System.err);
    Map<String, String> env = store.environment(environment);
    return run.run(env, (settings, redactor) -> verify(env, settings, redactor));
  }

  private int verify(Map<String, String> env, InitializerSettings settings, Redactor redactor) {
    long started = System.nanoTime();
    DestinationCheck.SourceListing listing = null;
    String u = uri;
    List<ImageReference> images = List.of();
    if (u != null && StorageUri.parse(u) instanceof OciUri oci) {
      // An image is compared file by file through its layers, below.
      images = List.of(ImageReference.parse(oci.display()));
    } else if (u != null) {
      try (Sources sources = new Sources(settings)) {
        Source source = sources.open(StorageUri.parse(u));
        listing = new DestinationCheck.SourceListing(source.display(), source.list());
      }
    }
    DestinationCheck.Report report =
        DestinationCheck.check(
            dir,
            fast ? DestinationCheck.Depth.METADATA : DestinationCheck.Depth.CONTENT,
            listing,
            VerifyCommand::s3Etag);
    if (u == null && !offline && !fast) {
      images = ModelVerifier.pulledImages(dir);
    }
    report = ImageCheck.add(report, images, dir, env, settings, store.registry());
    double seconds = (System.nanoTime() - started) / 1e9;
    PrintStream out = System.out;
    if (json) {
      out.println(redactor.apply(json(report, listing, seconds)));
    } else {
      text(report, listing, seconds, out, redactor);
    }
    out.flush();
    return report.clean() ? 0 : Failure.INTEGRITY.exitCode();
  }

  /** Multipart S3 ETags name content too, given the part size: try the common ones. */
  private static java.util.Optional<Boolean> s3Etag(Path file, long size, String version)
      throws IOException {
    return version.replace("\"", "").matches("[0-9a-fA-F]{32}-[0-9]+")
        ? LocalEtag.matches(file, size, version)
        : java.util.Optional.empty();
  }

  private void text(
      DestinationCheck.Report r,
      DestinationCheck.@Nullable SourceListing listing,
      double seconds,
      PrintStream out,
      Redactor redactor) {
    for (DestinationCheck.Finding f : r.findings()) {
      out.println(redactor.apply(String.format("%-8s  %s: %s", f.kind(), f.path(), f.detail())));
    }
    for (String s : r.incompleteSources()) {
      out.println(
          redactor.apply(
              "unfinished  the last download from "
                  + s
                  + " did not complete: run stowage pull again"));
    }
    String against = "the manifest" + (listing == null ? "" : " and " + listing.display());
    String checked =
        r.files()
            + (r.files() == 1 ? " file (" : " files (")
            + Units.bytes(r.bytes())
            + "), "
            + r.hashed()
            + " hashed, in "
            + String.format(java.util.Locale.ROOT, "%.1f s", seconds);
    if (r.clean()) {
      out.println(redactor.apply("OK: " + dir + " matches " + against + ": " + checked));
    } else {
      int problems = r.findings().size() + r.incompleteSources().size();
      out.println(
          redactor.apply(
              "FAILED: "
                  + dir
                  + " does not match "
                  + against
                  + ": "
                  + problems
                  + (problems == 1 ? " problem; " : " problems; ")
                  + checked));
    }
  }

  private String json(
      DestinationCheck.Report r, DestinationCheck.@Nullable SourceListing listing, double seconds) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("directory", dir.toString());
      if (listing != null) {
        g.writeStringField("source", listing.display());
      }
      g.writeBooleanField("ok", r.clean());
      g.writeNumberField("files", r.files());
      g.writeNumberField("bytes", r.bytes());
      g.writeNumberField("hashed", r.hashed());
      g.writeNumberField("seconds", seconds);
      g.writeArrayFieldStart("findings");
      for (DestinationCheck.Finding f : r.findings()) {
        g.writeStartObject();
        g.writeStringField("kind", f.kind());
        g.writeStringField("path", f.path().value());
        g.writeStringField("detail", f.detail());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("unfinished");
      for (String s : r.incompleteSources()) {
        g.writeString(s);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}
