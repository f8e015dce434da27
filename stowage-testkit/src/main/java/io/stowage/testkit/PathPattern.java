package io.stowage.testkit;

/**
 * The path patterns the test servers take for scripting: {@code "*"} matches every path, a pattern
 * ending in {@code *} matches paths starting with what precedes it ({@code "/cdn/*"}), anything
 * else matches that exact (decoded) path.
 */
final class PathPattern {

  private PathPattern() {}

  static boolean matches(String pattern, String path) {
    if (pattern.endsWith("*")) {
      return path.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    return pattern.equals(path);
  }

  static String require(String pattern) {
    if (pattern.isEmpty() || !(pattern.startsWith("/") || pattern.equals("*"))) {
      throw new IllegalArgumentException(
          "a path pattern is \"*\" or starts with '/', got \"" + pattern + "\"");
    }
    return pattern;
  }
}
