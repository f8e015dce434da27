package io.stowage.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Each image's CycloneDX SBOM, cut from the one the build writes for all runtime dependencies: an
 * image lists exactly the jars it carries.
 */
final class Sbom {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Sbom() {}

  /** Writes {@code full} reduced to the components whose jar is in {@code jars}. */
  static void write(Path full, List<Path> jars, Path to) throws IOException {
    ObjectNode bom = (ObjectNode) JSON.readTree(full.toFile());
    Set<String> names = new HashSet<>();
    for (Path jar : jars) {
      names.add(jar.getFileName().toString());
    }
    Set<String> kept = new HashSet<>();
    ArrayNode components = (ArrayNode) bom.path("components");
    for (Iterator<JsonNode> it = components.elements(); it.hasNext(); ) {
      JsonNode c = it.next();
      if (names.contains(jarName(c))) {
        kept.add(c.path("bom-ref").asText());
      } else {
        it.remove();
      }
    }
    if (kept.size() != names.size()) {
      throw new IOException(
          "the SBOM "
              + full
              + " lists "
              + kept.size()
              + " of the image's "
              + names.size()
              + " jars");
    }
    JsonNode dependencies = bom.path("dependencies");
    if (dependencies instanceof ArrayNode deps) {
      String root = bom.path("metadata").path("component").path("bom-ref").asText();
      for (Iterator<JsonNode> it = deps.elements(); it.hasNext(); ) {
        ObjectNode d = (ObjectNode) it.next();
        String ref = d.path("ref").asText();
        if (!kept.contains(ref) && !ref.equals(root)) {
          it.remove();
          continue;
        }
        if (d.path("dependsOn") instanceof ArrayNode on) {
          for (Iterator<JsonNode> o = on.elements(); o.hasNext(); ) {
            if (!kept.contains(o.next().asText())) {
              o.remove();
            }
          }
        }
      }
    }
    JSON.writeValue(to.toFile(), bom);
  }

  /** {@code artifact-version[-classifier].jar}, the name the jar has in the image. */
  private static String jarName(JsonNode component) {
    String name = component.path("name").asText() + "-" + component.path("version").asText();
    String purl = component.path("purl").asText();
    int at = purl.indexOf("classifier=");
    if (at >= 0) {
      int end = purl.indexOf('&', at);
      name += "-" + purl.substring(at + "classifier=".length(), end < 0 ? purl.length() : end);
    }
    return name + ".jar";
  }
}
