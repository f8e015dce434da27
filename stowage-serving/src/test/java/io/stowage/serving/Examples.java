package io.stowage.serving;

import io.stowage.serving.manifest.ManifestException;
import io.stowage.serving.manifest.ManifestReader;
import io.stowage.serving.manifest.Manifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's {@code examples/} directory, read as {@code stowage render -f} reads it. */
public final class Examples {
  private Examples() {}

  public static Path dir() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples/runtimes"))) {
        return p.resolve("examples");
      }
    }
    throw new IllegalStateException("no examples/ directory above " + here);
  }

  /** Reads example files relative to {@code examples/}, in order. */
  public static Manifests read(String... files) throws IOException, ManifestException {
    ManifestReader reader = new ManifestReader("default");
    Manifests all = Manifests.empty();
    for (String f : files) {
      Path p = dir().resolve(f);
      all = all.plus(reader.read(f, Files.readString(p, StandardCharsets.UTF_8)));
    }
    return all;
  }

  /** The example kinds, each a golden file {@code rendered/<kind>.yaml}. */
  public static java.util.stream.Stream<String> kinds() {
    return java.util.stream.Stream.of(
        "s3",
        "pvc",
        "oci",
        "policy-initializer",
        "policy-emptydir-size",
        "policy-ephemeral",
        "policy-pvc",
        "policy-initializer-off");
  }

  /** The files {@code stowage render -f} is given for {@code kind}. */
  public static String[] inputs(String kind) {
    if (kind.startsWith("policy-")) {
      // The storage.stowage.io/ annotation examples: the S3 example's credentials, one policy each.
      return new String[] {
        "runtimes/aml-vllm-0.11.2-cpu.yaml",
        "s3/credentials.yaml",
        "policy/" + kind.substring("policy-".length()) + ".yaml"
      };
    }
    return kind.equals("s3")
        ? new String[] {
          "runtimes/aml-vllm-0.11.2-cpu.yaml", "s3/credentials.yaml", "s3/inferenceservice.yaml"
        }
        : new String[] {"runtimes/aml-vllm-0.11.2-cpu.yaml", kind + "/inferenceservice.yaml"};
  }
}
