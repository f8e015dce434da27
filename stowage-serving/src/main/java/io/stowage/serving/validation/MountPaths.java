package io.stowage.serving.validation;

import io.stowage.serving.PlanErrors;

/** {@code storageUris} mount paths: KServe's checks, in its words. */
final class MountPaths {
  private MountPaths() {}

  /** True when {@code path} is usable; otherwise adds the reason. */
  static boolean check(String field, String path, PlanErrors errors) {
    if (path.isEmpty() || normalize(path).equals("/")) {
      errors.add(field, "storage path cannot be empty");
      return false;
    }
    if (!path.startsWith("/")) {
      errors.add(field, "storage path must be absolute: " + path);
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        errors.add(field, "storage path cannot contain '..' for security reasons: " + path);
        return false;
      }
    }
    return true;
  }

  /** Without repeated or trailing slashes. */
  static String normalize(String path) {
    String collapsed = path.replaceAll("/+", "/");
    return collapsed.length() > 1 && collapsed.endsWith("/")
        ? collapsed.substring(0, collapsed.length() - 1)
        : collapsed;
  }
}
