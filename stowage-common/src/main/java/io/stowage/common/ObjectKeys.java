package io.stowage.common;

import org.jspecify.annotations.Nullable;

/**
 * The one rule for the key or prefix of an {@code s3://} URI: its segments are names. An empty
 * segment ({@code s3://models//x}), {@code .} or {@code ..} names no object the way a user means
 * it: stores treat them as literal characters (a key {@code ../x} exists only if someone wrote it),
 * while every file system and most tools collapse them, so the same URI would mean two things.
 * Refused before any request, by the initializer and the planner alike. A single trailing slash
 * marks a prefix and is allowed.
 */
public final class ObjectKeys {
  private ObjectKeys() {}

  /** What is wrong with {@code key} (without the bucket), or null when it is fine. */
  public static @Nullable String problem(String key) {
    if (key.isEmpty()) {
      return null;
    }
    String body = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    for (String segment : body.split("/", -1)) {
      if (segment.isEmpty()) {
        return "an empty path segment ('//' or a leading '/')";
      }
      if (segment.equals(".") || segment.equals("..")) {
        return "a '" + segment + "' path segment";
      }
    }
    return null;
  }
}
