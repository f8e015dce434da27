package io.stowage.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The container runtimes' default seccomp profile (what {@code seccompProfile: RuntimeDefault}
 * selects), in the OCI runtime spec's form for runc. Its source is the profile Debian ships with
 * the containers libraries ({@code /usr/share/containers/seccomp.json}, installed with skopeo), the
 * same allow-list Docker, Podman and containerd derive theirs from; its rules that depend on
 * capabilities or architectures are resolved for an x86-64 container with no capabilities, as a
 * restricted pod's is.
 */
final class RuntimeDefaultSeccomp {
  static final Path SOURCE = Path.of("/usr/share/containers/seccomp.json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ARCHES = Set.of("amd64", "x86_64", "SCMP_ARCH_X86_64");

  private RuntimeDefaultSeccomp() {}

  static boolean available() {
    return Files.isRegularFile(SOURCE);
  }

  static ObjectNode profile() throws IOException {
    JsonNode source = JSON.readTree(SOURCE.toFile());
    ObjectNode out = JSON.createObjectNode();
    out.put("defaultAction", source.path("defaultAction").asText());
    if (source.has("defaultErrnoRet")) {
      out.put("defaultErrnoRet", source.path("defaultErrnoRet").asInt());
    }
    out.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32");
    ArrayNode syscalls = out.putArray("syscalls");
    for (JsonNode rule : source.path("syscalls")) {
      if (!applies(rule)) {
        continue;
      }
      ObjectNode r = syscalls.addObject();
      r.set("names", rule.path("names"));
      r.put("action", rule.path("action").asText());
      if (rule.path("args").size() > 0) {
        r.set("args", rule.path("args"));
      }
      if (rule.has("errnoRet")) {
        r.put("errnoRet", rule.path("errnoRet").asInt());
      }
    }
    return out;
  }

  /** Whether a rule holds for an x86-64 container that has no capabilities. */
  private static boolean applies(JsonNode rule) {
    JsonNode includes = rule.path("includes");
    if (includes.path("caps").size() > 0) {
      return false; // granted only to containers holding a capability
    }
    JsonNode arches = includes.path("arches");
    if (arches.size() > 0 && !anyOf(arches)) {
      return false;
    }
    JsonNode excludedArches = rule.path("excludes").path("arches");
    // Rules excluded for holders of a capability apply: the container holds none.
    return !(excludedArches.size() > 0 && anyOf(excludedArches));
  }

  private static boolean anyOf(JsonNode arches) {
    for (JsonNode a : arches) {
      if (ARCHES.contains(a.asText())) {
        return true;
      }
    }
    return false;
  }
}
