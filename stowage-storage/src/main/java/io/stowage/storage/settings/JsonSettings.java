package io.stowage.storage.settings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.stowage.storage.StorageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The two JSON shapes KServe passes in environment variables: flat objects and string arrays. */
final class JsonSettings {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonSettings() {}

  /**
   * A flat JSON object; strings, numbers and booleans become strings. The content is never echoed
   * in errors: {@code STORAGE_CONFIG} holds secret keys.
   */
  static Map<String, String> object(String name, String json) {
    Map<String, String> out = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw StorageException.usage(name + " must be a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken t = p.nextToken();
        switch (t) {
          case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE ->
              out.put(key, p.getText());
          case VALUE_NULL -> {}
          default ->
              throw StorageException.usage(name + ": the value of '" + key + "' must be a string");
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw StorageException.usage(name + " is not a single JSON object");
      }
      return out;
    } catch (IOException e) {
      throw StorageException.usage(name + " is not valid JSON (at line " + lineOf(e) + ")");
    }
  }

  /** A JSON array of strings, or KServe's alternative: a comma-separated list. */
  static List<String> patterns(String name, String value) {
    String v = value.strip();
    if (!v.startsWith("[")) {
      List<String> out = new ArrayList<>();
      for (String part : v.split(",", -1)) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
      return out;
    }
    List<String> out = new ArrayList<>();
    try (JsonParser p = JSON.createParser(v)) {
      p.nextToken();
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
        if (!p.getText().isBlank()) {
          out.add(p.getText());
        }
      }
      if (t != JsonToken.END_ARRAY) {
        throw StorageException.usage(
            name + " must be a JSON array of strings or a comma-separated list: " + value);
      }
      return out;
    } catch (IOException e) {
      throw StorageException.usage(name + " is not valid JSON: " + value);
    }
  }

  private static String lineOf(IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
        && j.getLocation() != null) {
      return Integer.toString(j.getLocation().getLineNr());
    }
    return "?";
  }
}
