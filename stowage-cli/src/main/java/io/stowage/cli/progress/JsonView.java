package io.stowage.cli.progress;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.stowage.cli.Redactor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON Lines on stdout, one object per event: {@code {"event":"...","t":seconds,...}}. Event names
 * and fields are a stable interface for scripts; see the README.
 */
final class JsonView extends ProgressView {
  private static final JsonFactory JSON = new JsonFactory();
  private final PrintStream out;

  JsonView(PrintStream out, Redactor redactor) {
    super(redactor);
    this.out = out;
  }

  @Override
  Duration interval() {
    return Duration.ofSeconds(1);
  }

  @Override
  public void info(String message) {
    event("log", Map.of("level", "info", "message", message));
  }

  @Override
  public void warn(String message) {
    event("log", Map.of("level", "warning", "message", message));
  }

  @Override
  public synchronized void event(String type, Map<String, ?> fields) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("event", type);
      g.writeNumberField("t", Math.round(elapsedSeconds() * 1000) / 1000.0);
      for (Map.Entry<String, ?> e : fields.entrySet()) {
        Object v = e.getValue();
        if (v instanceof Number n) {
          if (n instanceof Double || n instanceof Float) {
            g.writeNumberField(e.getKey(), n.doubleValue());
          } else {
            g.writeNumberField(e.getKey(), n.longValue());
          }
        } else if (v instanceof Boolean b) {
          g.writeBooleanField(e.getKey(), b);
        } else {
          g.writeStringField(e.getKey(), redactor.apply(String.valueOf(v)));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.println(w);
    out.flush();
  }

  @Override
  void started(String title) {
    event("start", Map.of("title", title));
  }

  @Override
  void show(String title, Snapshot s, double bytesPerSecond, long etaSeconds) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("doneBytes", s.doneBytes());
    f.put("totalBytes", s.totalBytes());
    f.put("doneFiles", s.doneFiles());
    f.put("totalFiles", s.totalFiles());
    f.put("unit", s.unit());
    f.put("bytesPerSecond", Math.round(bytesPerSecond));
    f.put("etaSeconds", etaSeconds);
    event("progress", f);
  }
}
