package io.stowage.storage.transfer;

import java.util.List;
import java.util.regex.Pattern;

/**
 * KServe's {@code STORAGE_ALLOW_PATTERNS} / {@code STORAGE_IGNORE_PATTERNS}: fnmatch globs on the
 * path relative to the source root, where {@code *} also matches {@code /}. Allow patterns are
 * applied first (when there are any), then ignore patterns.
 */
public final class PathFilter {
  private static final PathFilter ALL = new PathFilter(List.of(), List.of());

  private final List<String> allow;
  private final List<String> ignore;
  private final List<Pattern> allowPatterns;
  private final List<Pattern> ignorePatterns;

  public PathFilter(List<String> allow, List<String> ignore) {
    this.allow = List.copyOf(allow);
    this.ignore = List.copyOf(ignore);
    this.allowPatterns = allow.stream().map(PathFilter::compile).toList();
    this.ignorePatterns = ignore.stream().map(PathFilter::compile).toList();
  }

  public static PathFilter all() {
    return ALL;
  }

  public boolean isEmpty() {
    return allow.isEmpty() && ignore.isEmpty();
  }

  public List<String> allow() {
    return allow;
  }

  public List<String> ignore() {
    return ignore;
  }

  public boolean accepts(String relativePath) {
    if (!allowPatterns.isEmpty()
        && allowPatterns.stream().noneMatch(p -> p.matcher(relativePath).matches())) {
      return false;
    }
    return ignorePatterns.stream().noneMatch(p -> p.matcher(relativePath).matches());
  }

  /** Translates an fnmatch glob ({@code * ? [seq] [!seq]}) into a regular expression. */
  static Pattern compile(String glob) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    int n = glob.length();
    while (i < n) {
      char c = glob.charAt(i++);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else if (c == '[') {
        int j = i;
        if (j < n && glob.charAt(j) == '!') {
          j++;
        }
        if (j < n && glob.charAt(j) == ']') {
          j++;
        }
        while (j < n && glob.charAt(j) != ']') {
          j++;
        }
        if (j >= n) {
          re.append("\\[");
        } else {
          String set = glob.substring(i, j).replace("\\", "\\\\");
          i = j + 1;
          if (set.startsWith("!")) {
            set = "^" + set.substring(1);
          } else if (set.startsWith("^")) {
            set = "\\" + set;
          }
          re.append('[').append(set).append(']');
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
