package io.stowage.testkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Just enough JSON reading for assertions, on jackson-core's streaming parser: objects become maps,
 * arrays lists, numbers longs or doubles.
 */
final class Json {

  private static final JsonFactory JSON = new JsonFactory();

  private Json() {}

  static @Nullable Object parse(byte[] text) {
    try (JsonParser parser = JSON.createParser(text)) {
      parser.nextToken();
      Object value = value(parser);
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("trailing content after the JSON value");
      }
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, @Nullable Object> object(byte[] text) {
    return (Map<String, @Nullable Object>) requireType(parse(text), Map.class);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, @Nullable Object>> arrayOfObjects(byte[] text) {
    return (List<Map<String, @Nullable Object>>) requireType(parse(text), List.class);
  }

  /** The array of objects in {@code field} of {@code object}. */
  @SuppressWarnings("unchecked")
  static List<Map<String, @Nullable Object>> objects(
      Map<String, @Nullable Object> object, String field) {
    return (List<Map<String, @Nullable Object>>) requireType(object.get(field), List.class);
  }

  /** The string in {@code field} of {@code object}. */
  static String string(Map<String, @Nullable Object> object, String field) {
    return (String) requireType(object.get(field), String.class);
  }

  private static Object requireType(@Nullable Object value, Class<?> type) {
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException("expected a JSON " + type.getSimpleName() + ": " + value);
    }
    return value;
  }

  private static @Nullable Object value(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      throw new IllegalArgumentException("no JSON value");
    }
    switch (token) {
      case START_OBJECT -> {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          map.put(name, value(parser));
        }
        return map;
      }
      case START_ARRAY -> {
        List<@Nullable Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(value(parser));
        }
        return list;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT -> {
        return parser.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return parser.getDoubleValue();
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
      default -> throw new IllegalArgumentException("unexpected JSON token " + token);
    }
  }
}
