package io.stowage.storage.hf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The two Hub API documents the source reads: a revision's info and a page of its file tree. */
final class HubJson {
  private static final JsonFactory JSON = new JsonFactory();

  private HubJson() {}

  /** An entry of {@code /api/models/{repo}/tree/{revision}}. */
  record TreeEntry(String type, String path, long size, String oid, Optional<String> lfsSha256) {}

  /**
   * The commit a revision points at: the {@code sha} of {@code /api/models/{repo}/revision/{rev}}.
   */
  static String commitSha(byte[] json) throws IOException {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the Hub's revision answer is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals("sha") && t == JsonToken.VALUE_STRING) {
          return p.getText();
        }
        p.skipChildren();
      }
    }
    throw new IOException("the Hub's revision answer has no commit sha");
  }

  static List<TreeEntry> tree(byte[] json) throws IOException {
    List<TreeEntry> entries = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new IOException("the Hub's tree answer is not a JSON array");
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        entries.add(entry(p));
      }
    }
    return entries;
  }

  private static TreeEntry entry(JsonParser p) throws IOException {
    String type = "";
    String path = "";
    long size = -1;
    String oid = "";
    String lfs = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "type" -> type = p.getText();
        case "path" -> path = p.getText();
        case "size" -> size = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
        case "oid" -> oid = p.getText();
        case "lfs" -> lfs = t == JsonToken.START_OBJECT ? lfsOid(p) : null;
        default -> p.skipChildren();
      }
    }
    if (path.isEmpty() || type.isEmpty()) {
      throw new IOException("a tree entry without type or path");
    }
    return new TreeEntry(type, path, size, oid, Optional.ofNullable(lfs));
  }

  private static @Nullable String lfsOid(JsonParser p) throws IOException {
    String oid = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("oid")) {
        oid = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return oid;
  }

  /** The {@code error} message of a Hub error body, if it has one. */
  static Optional<String> error(byte[] json) {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("error")) {
          return Optional.of(p.getText());
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
