package io.stowage.image;

import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@code stowage-initializer} and {@code stowage} images without a container engine (run
 * by the {@code stowage-image} module's {@code package} phase): stages the image tree, dumps the
 * class-data archive inside it, writes both images as OCI layout tarballs and, when a registry is
 * given, pushes them.
 *
 * <p>Arguments, each {@code --name=value}: {@code base} (runtime and system libraries from {@code
 * base.sh}), {@code classpath} (file with the runtime class path), {@code tools-only} (comma list
 * of jar globs), {@code jvm-options}, {@code class-list}, {@code sbom} (CycloneDX JSON of all
 * runtime jars), {@code out}, {@code version}, {@code repository} (the source tree, for the
 * revision label) and optionally {@code source} (its URL; default: git's {@code origin}), {@code
 * registry} (e.g. {@code 127.0.0.1:5000/stowage}) and {@code insecure=true} for a plain-HTTP
 * registry.
 */
public final class ImageBuild {
  private ImageBuild() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    Path out = Path.of(need(opts, "out"));
    Path base = Path.of(need(opts, "base"));
    List<Path> classpath = new ArrayList<>();
    for (String entry : Files.readString(Path.of(need(opts, "classpath"))).strip().split(":", -1)) {
      classpath.add(Path.of(entry));
    }
    ImageContents contents =
        ImageContents.split(classpath, List.of(need(opts, "tools-only").split(",", -1)));
    RootFs fs =
        RootFs.stage(
            out.resolve("rootfs"),
            base.resolve("runtime"),
            base.resolve("system"),
            contents,
            Path.of(need(opts, "jvm-options")),
            Path.of(need(opts, "class-list")));
    ClassDataArchive.dump(fs, out.resolve("cds-dump.log"));

    Path fullSbom = Path.of(need(opts, "sbom"));
    List<Path> initializerJars = new ArrayList<>(contents.libraries());
    initializerJars.addAll(contents.stowage());
    Path initializerSbom = out.resolve("stowage-initializer.cdx.json");
    Sbom.write(fullSbom, initializerJars, initializerSbom);
    Path toolsSbom = out.resolve("stowage.cdx.json");
    List<Path> allJars = new ArrayList<>(initializerJars);
    allJars.addAll(contents.tools());
    Sbom.write(fullSbom, allJars, toolsSbom);

    String version = need(opts, "version");
    Map<String, String> labels = new LinkedHashMap<>();
    Path repository = Path.of(need(opts, "repository"));
    String source = opts.getOrDefault("source", "");
    labels.put(
        "org.opencontainers.image.source",
        source.isBlank() ? sourceUrl(git(repository, "remote", "get-url", "origin")) : source);
    labels.put("org.opencontainers.image.revision", git(repository, "rev-parse", "HEAD"));
    labels.put("org.opencontainers.image.version", version);
    labels.put("org.opencontainers.image.licenses", "Apache-2.0");
    // Jib's layer cache recognises a layer by its files' paths and modification times, which the
    // staged tree keeps fixed (the class-data archive needs that): a cache kept from an earlier
    // build would hand back that build's layers for new content. Every build starts with none.
    Path cache = out.resolve("jib-cache");
    RootFs.deleteTree(cache);
    ImageAssembler assembler = new ImageAssembler(fs, labels, cache);
    @Nullable String registry = opts.get("registry");
    boolean insecure = Boolean.parseBoolean(opts.getOrDefault("insecure", "false"));

    List<String> digests = new ArrayList<>();
    for (ImageSpec spec : List.of(ImageSpec.INITIALIZER, ImageSpec.TOOLS)) {
      Path sbom = spec.withTools() ? toolsSbom : initializerSbom;
      JibContainerBuilder builder = assembler.builder(spec, sbom);
      String name = spec.name() + ":" + version;
      Path tarball = out.resolve(spec.name() + ".oci.tar");
      JibContainer built = assembler.toTarball(builder, name, tarball);
      String line = name + "@" + built.getDigest() + "  " + tarball;
      if (registry != null && !registry.isBlank()) {
        String reference = registry + "/" + name;
        JibContainer pushed = assembler.push(assembler.builder(spec, sbom), reference, insecure);
        if (!pushed.getDigest().equals(built.getDigest())) {
          throw new IOException(
              "pushed "
                  + reference
                  + " has digest "
                  + pushed.getDigest()
                  + ", the tarball "
                  + built.getDigest());
        }
        line += "  pushed to " + reference;
      }
      digests.add(line);
      System.out.println("image " + line);
    }
    Files.write(out.resolve("digests.txt"), digests, StandardCharsets.UTF_8);
  }

  /** A remote that is a URL (not a clone's local path, which would mean nothing elsewhere). */
  private static String sourceUrl(String remote) {
    return remote.contains("://") || remote.startsWith("git@") ? remote : "unknown";
  }

  /** What git says in the repository, or {@code unknown} (a source tarball, no remote). */
  private static String git(Path repository, String... args) throws InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", repository.toString()));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.waitFor() == 0 && !out.isEmpty() ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      String value = arg.substring(eq + 1);
      if (!value.isEmpty()) {
        opts.put(arg.substring(2, eq), value);
      }
    }
    return opts;
  }

  private static String need(Map<String, String> opts, String name) throws IOException {
    String value = opts.get(name);
    if (value == null || value.isBlank()) {
      throw new IOException("ImageBuild: --" + name + " is required");
    }
    return value;
  }
}
