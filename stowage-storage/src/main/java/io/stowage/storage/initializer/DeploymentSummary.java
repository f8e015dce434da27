package io.stowage.storage.initializer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The termination message of a successful initializer: one line of JSON, {@code
 * {"deployed":[{"source":…,"files":…,"bytes":…,"manifestDigest":…}]}}, which the controller copies
 * into {@code status.modelStatus.deployed}. Kubernetes keeps at most 4096 bytes of a termination
 * message; entries that would not fit are counted in {@code "more"} instead of cut mid-way.
 */
public final class DeploymentSummary {
  public static final int MAX_BYTES = 4096;
  private static final JsonFactory JSON = new JsonFactory();

  private DeploymentSummary() {}

  public static String json(List<Deployed> deployed) {
    for (int kept = deployed.size(); ; kept--) {
      String text = write(deployed.subList(0, kept), deployed.size() - kept);
      if (text.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES || kept == 0) {
        return text;
      }
    }
  }

  private static String write(List<Deployed> entries, int more) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("deployed");
      for (Deployed d : entries) {
        g.writeStartObject();
        g.writeStringField("source", truncated(d.source()));
        if (d.files() != null) {
          g.writeNumberField("files", d.files());
        }
        if (d.bytes() != null) {
          g.writeNumberField("bytes", d.bytes());
        }
        if (d.manifestDigest() != null) {
          g.writeStringField("manifestDigest", d.manifestDigest());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      if (more > 0) {
        g.writeNumberField("more", more);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** A URI longer than a quarter of the budget is shown by its start: the entry must still fit. */
  private static String truncated(String source) {
    return source.length() <= MAX_BYTES / 4 ? source : source.substring(0, MAX_BYTES / 4) + "…";
  }
}
