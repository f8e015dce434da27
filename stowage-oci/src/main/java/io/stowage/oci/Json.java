package io.stowage.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A small JSON tree on Jackson's streaming API: objects are insertion-ordered maps, arrays lists,
 * numbers {@code Long} or {@code Double}. Writing keeps the order, so a document built the same way
 * always serializes to the same bytes (image digests depend on it). No databind on the
 * initializer's start-up path.
 */
public final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final int MAX_DEPTH = 64;

  private Json() {}

  /**
   * Parses a document.
   *
   * @throws IllegalArgumentException when it is not well-formed JSON
   */
  public static @Nullable Object parse(byte[] bytes) {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new IllegalArgumentException("empty document");
      }
      Object value = value(p, t, 0);
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("trailing data after the document");
      }
      return value;
    } catch (JsonProcessingException e) {
      // Jackson's own message puts the location on a second line: one line, with the position.
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new IllegalArgumentException(e.getOriginalMessage() + where, e);
    } catch (IOException e) {
      throw new IllegalArgumentException(String.valueOf(e.getMessage()), e);
    }
  }

  /** Parses a document that must be an object. */
  public static Map<String, Object> parseObject(byte[] bytes) {
    Object o = parse(bytes);
    if (o instanceof Map<?, ?> m) {
      return cast(m);
    }
    throw new IllegalArgumentException("not a JSON object");
  }

  private static @Nullable Object value(JsonParser p, JsonToken t, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH + " levels");
    }
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        JsonToken n;
        while ((n = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          Object v = value(p, p.nextToken(), depth + 1);
          if (v != null) {
            m.put(name, v);
          }
        }
        if (n != JsonToken.END_OBJECT) {
          throw new IllegalArgumentException("unterminated object");
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        JsonToken n;
        while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
          if (n == null) {
            throw new IllegalArgumentException("unterminated array");
          }
          Object v = value(p, n, depth + 1);
          if (v != null) {
            l.add(v);
          }
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        return p.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return true;
      }
      case VALUE_FALSE -> {
        return false;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IllegalArgumentException("unexpected token " + t);
    }
  }

  /** Serializes a tree built of maps, lists, strings, numbers and booleans; no whitespace. */
  public static byte[] write(Object tree) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator g, @Nullable Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) {
        write(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Long || v instanceof Integer) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  /** The string member {@code name}, if present and a string. */
  public static Optional<String> string(Map<String, Object> o, String name) {
    return o.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /** The integer member {@code name}, if present and an integer. */
  public static Optional<Long> number(Map<String, Object> o, String name) {
    return o.get(name) instanceof Long l ? Optional.of(l) : Optional.empty();
  }

  /** The object member {@code name}, if present and an object. */
  public static Optional<Map<String, Object>> object(Map<String, Object> o, String name) {
    return o.get(name) instanceof Map<?, ?> m ? Optional.of(cast(m)) : Optional.empty();
  }

  /** The elements of array member {@code name} that are objects; empty when absent. */
  public static List<Map<String, Object>> objects(Map<String, Object> o, String name) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (o.get(name) instanceof List<?> l) {
      for (Object e : l) {
        if (e instanceof Map<?, ?> m) {
          out.add(cast(m));
        }
      }
    }
    return out;
  }

  /** The string-valued members of object member {@code name}; empty when absent. */
  public static Map<String, String> strings(Map<String, Object> o, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    object(o, name)
        .ifPresent(
            m ->
                m.forEach(
                    (k, v) -> {
                      if (v instanceof String s) {
                        out.put(k, s);
                      }
                    }));
    return out;
  }
}
