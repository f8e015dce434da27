package io.stowage.cli.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.stowage.cli.Redactor;
import io.stowage.oci.Descriptor;
import io.stowage.oci.ImageReference;
import io.stowage.oci.OciSettings;
import io.stowage.oci.pull.Puller;
import io.stowage.oci.registry.Registries;
import io.stowage.storage.initializer.Sources;
import io.stowage.storage.initializer.Units;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.transfer.RemoteFile;
import io.stowage.storage.transfer.Source;
import io.stowage.storage.transfer.Verification;
import io.stowage.storage.uri.OciUri;
import io.stowage.storage.uri.StorageUri;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stowage ls URI}: the files a URI resolves to, as {@code initialize} would lay them out,
 * without downloading anything. A wrong URI, endpoint or credential fails exactly as it would in
 * the pod, so this is the pre-flight check before deploying.
 */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    description = {
      "List the files a storage URI resolves to (path under the destination, size, digest or"
          + " version) without downloading them.",
      "Fails with the same one-line error and exit code as initialize when the URI, endpoint or"
          + " credentials are wrong: a pre-flight check before deploying.",
      "For oci:// images: the manifest the reference resolves to (pinned by digest) and its"
          + " layers; the files are inside the layers, which ls does not download."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:listed",
      "2:usage or invalid setting",
      "3:authentication or permission",
      "4:bucket, prefix or model not found",
      "5:network"
    })
public final class LsCommand implements Callable<Integer> {
  private static final JsonFactory JSON = new JsonFactory();

  @Parameters(
      index = "0",
      paramLabel = "URI",
      description = "s3://, https://, http://, hf:// or oci://.")
  String uri = "";

  @Option(names = "--json", description = "One JSON document on stdout instead of a table.")
  boolean json;

  @Mixin StoreOptions store = new StoreOptions();

  private final Map<String, String> environment;

  public LsCommand() {
    this(System.getenv());
  }

  LsCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    ToolRun run = new ToolRun("ls", System.err);
    Map<String, String> env = store.environment(environment);
    return run.run(env, (settings, redactor) -> list(env, settings, redactor));
  }

  private int list(Map<String, String> env, InitializerSettings settings, Redactor redactor) {
    if (StorageUri.parse(uri) instanceof OciUri oci) {
      return image(oci, env, settings, redactor);
    }
    try (Sources sources = new Sources(settings)) {
      Source source = sources.open(StorageUri.parse(uri));
      List<RemoteFile> files = new ArrayList<>(source.list());
      files.sort(Comparator.comparing(RemoteFile::path));
      PrintStream out = System.out;
      if (json) {
        out.println(redactor.apply(json(source.display(), files)));
      } else {
        table(files, out);
        long bytes = files.stream().mapToLong(RemoteFile::knownSize).sum();
        System.err.println(
            redactor.apply(
                files.size()
                    + (files.size() == 1 ? " file, " : " files, ")
                    + Units.bytes(bytes)
                    + " in "
                    + source.display()));
      }
      out.flush();
      return 0;
    }
  }

  /**
   * An image's resolved manifest and layers: resolving checks the reference, the credentials and
   * the platform exactly as a pull would, without fetching a layer.
   */
  private int image(
      OciUri oci, Map<String, String> env, InitializerSettings settings, Redactor redactor) {
    OciSettings s = OciSettings.from(env, settings, store.registry());
    ImageReference ref = ImageReference.parse(oci.display());
    try (Registries registries = new Registries(s.registry())) {
      Puller.ResolvedImage image = new Puller(registries, s.pull(), line -> {}).resolve(ref);
      List<Descriptor> layers = image.manifest().layers();
      long bytes = layers.stream().mapToLong(Descriptor::size).sum();
      String pinned = ref.pinned(image.digest());
      PrintStream out = System.out;
      if (json) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
          g.writeStartObject();
          g.writeStringField("source", oci.display());
          g.writeStringField("pinned", pinned);
          g.writeNumberField("layers", layers.size());
          g.writeNumberField("bytes", bytes);
          g.writeArrayFieldStart("entries");
          for (Descriptor d : layers) {
            g.writeStartObject();
            g.writeStringField("digest", d.digest().toString());
            g.writeNumberField("size", d.size());
            g.writeStringField("mediaType", d.mediaType());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        out.println(redactor.apply(w.toString()));
      } else {
        int sizeWidth = 4;
        for (Descriptor d : layers) {
          sizeWidth = Math.max(sizeWidth, Long.toString(d.size()).length());
        }
        out.println(pad("SIZE", sizeWidth, true) + "  LAYER");
        for (Descriptor d : layers) {
          out.println(
              pad(Long.toString(d.size()), sizeWidth, true)
                  + "  "
                  + d.digest()
                  + "  "
                  + d.mediaType());
        }
        System.err.println(
            redactor.apply(
                layers.size()
                    + (layers.size() == 1 ? " layer, " : " layers, ")
                    + Units.bytes(bytes)
                    + " in "
                    + pinned));
      }
      out.flush();
      return 0;
    }
  }

  /** Exact sizes, so they can be compared with {@code ls -l}; then the digest and the path. */
  private static void table(List<RemoteFile> files, PrintStream out) {
    int sizeWidth = 4;
    int digestWidth = 6;
    for (RemoteFile f : files) {
      sizeWidth = Math.max(sizeWidth, size(f).length());
      digestWidth = Math.max(digestWidth, digest(f).length());
    }
    out.println(pad("SIZE", sizeWidth, true) + "  " + pad("DIGEST", digestWidth, false) + "  PATH");
    for (RemoteFile f : files) {
      out.println(
          pad(size(f), sizeWidth, true)
              + "  "
              + pad(digest(f), digestWidth, false)
              + "  "
              + f.path().value());
    }
  }

  private static String size(RemoteFile f) {
    return f.sizeKnown() ? Long.toString(f.size()) : "?";
  }

  /**
   * The content digest the download is verified against ({@code sha256:...}, {@code md5:...}), else
   * the source's version tag ({@code etag:...}), else {@code -}.
   */
  static String digest(RemoteFile f) {
    // A digest of part digests (a multipart ETag) is shown as the ETag it is.
    if (f.verification() instanceof Verification.Digest d && !d.ofParts()) {
      return d.algorithm().prefix() + ":" + d.hex();
    }
    String v = f.version().replace("\"", "");
    return v.isEmpty() ? "-" : "etag:" + v;
  }

  private static String pad(String s, int width, boolean left) {
    if (s.length() >= width) {
      return s;
    }
    String fill = " ".repeat(width - s.length());
    return left ? fill + s : s + fill;
  }

  private static String json(String source, List<RemoteFile> files) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("source", source);
      g.writeNumberField("files", files.size());
      g.writeNumberField("bytes", files.stream().mapToLong(RemoteFile::knownSize).sum());
      g.writeArrayFieldStart("entries");
      for (RemoteFile f : files) {
        g.writeStartObject();
        g.writeStringField("path", f.path().value());
        if (f.sizeKnown()) {
          g.writeNumberField("size", f.size());
        } else {
          g.writeNullField("size");
        }
        g.writeStringField("digest", digest(f));
        g.writeStringField("version", f.version());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}
