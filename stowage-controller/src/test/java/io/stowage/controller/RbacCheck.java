package io.stowage.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Kubernetes' RBAC authorizer, reduced to what the controller needs: the Roles and bindings of
 * {@code deploy/} for one ServiceAccount, and each recorded request turned into the attributes the
 * API server authorizes (verb, API group, resource, subresource, namespace, name).
 *
 * <p>The RoleBinding without a namespace ({@code deploy/model-namespace/rolebinding.yaml}) is the
 * one applied in every model namespace; it counts as bound in each of {@code modelNamespaces}.
 */
final class RbacCheck {
  /** One authorization request. */
  record Attributes(
      String verb,
      String group,
      String resource,
      @Nullable String namespace,
      @Nullable String name) {
    String describe() {
      return verb
          + " "
          + (group.isEmpty() ? "" : group + "/")
          + resource
          + (namespace == null ? " (cluster)" : " in " + namespace)
          + (name == null ? "" : " [" + name + "]");
    }
  }

  /** One granted rule, where it is bound. */
  private record Grant(String role, int index, @Nullable String namespace, JsonNode rule) {
    boolean allows(Attributes a) {
      if (namespace != null && !namespace.equals(a.namespace())) {
        return false;
      }
      return has(rule.path("apiGroups"), a.group())
          && has(rule.path("resources"), a.resource())
          && has(rule.path("verbs"), a.verb())
          && (!rule.has("resourceNames")
              || (a.name() != null && has(rule.path("resourceNames"), a.name())));
    }

    String describe() {
      return role + " rule " + index + (namespace == null ? " (cluster-wide)" : " in " + namespace);
    }
  }

  /** The outcome: each distinct call, and the rule that allows it or none. */
  record Report(Map<String, String> allowed, List<String> denied) {
    String table() {
      StringBuilder b =
          new StringBuilder("API calls of the controller and the RBAC rule allowing each:\n");
      allowed.forEach(
          (call, rule) -> b.append("  ").append(call).append(" <- ").append(rule).append('\n'));
      denied.forEach(call -> b.append("  ").append(call).append(" <- DENIED\n"));
      return b.toString();
    }
  }

  private final List<Grant> grants = new ArrayList<>();

  RbacCheck(Path deploy, String saNamespace, String saName, Set<String> modelNamespaces)
      throws IOException {
    Map<String, List<JsonNode>> roles = new TreeMap<>();
    List<ObjectNode> bindings = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(deploy)) {
      s.filter(
              p ->
                  p.toString().endsWith(".yaml")
                      && !p.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .forEach(files::add);
    }
    for (Path file : files) {
      for (ObjectNode doc : Fixtures.documents(file)) {
        String kind = doc.path("kind").asText();
        String ns = doc.path("metadata").path("namespace").asText("");
        String name = doc.path("metadata").path("name").asText();
        if (kind.equals("ClusterRole") || kind.equals("Role")) {
          List<JsonNode> rules = new ArrayList<>();
          doc.path("rules").forEach(rules::add);
          roles.put(kind + "/" + ns + "/" + name, rules);
        } else if (kind.equals("ClusterRoleBinding") || kind.equals("RoleBinding")) {
          bindings.add(doc);
        }
      }
    }
    for (ObjectNode b : bindings) {
      boolean forUs = false;
      for (JsonNode s : b.path("subjects")) {
        forUs |=
            s.path("kind").asText().equals("ServiceAccount")
                && s.path("name").asText().equals(saName)
                && s.path("namespace").asText().equals(saNamespace);
      }
      if (!forUs) {
        continue;
      }
      String refKind = b.path("roleRef").path("kind").asText();
      String refName = b.path("roleRef").path("name").asText();
      String ns = b.path("metadata").path("namespace").asText("");
      String roleKey = refKind + "/" + (refKind.equals("Role") ? ns : "") + "/" + refName;
      List<JsonNode> rules = roles.getOrDefault(roleKey, List.of());
      List<String> scopes = new ArrayList<>();
      if (b.path("kind").asText().equals("ClusterRoleBinding")) {
        scopes.add(null);
      } else if (ns.isEmpty()) {
        scopes.addAll(modelNamespaces);
      } else {
        scopes.add(ns);
      }
      for (String scope : scopes) {
        for (int i = 0; i < rules.size(); i++) {
          grants.add(new Grant(roleKey, i, scope, rules.get(i)));
        }
      }
    }
  }

  /**
   * The rules that apply in {@code namespace} (cluster-wide ones included), as a {@code
   * SelfSubjectRulesReview} reports them.
   */
  com.fasterxml.jackson.databind.node.ArrayNode rulesIn(String namespace) {
    com.fasterxml.jackson.databind.node.ArrayNode rules =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    for (Grant g : grants) {
      if ((g.namespace() == null || g.namespace().equals(namespace)) && g.rule().has("resources")) {
        rules.add(g.rule().deepCopy());
      }
    }
    return rules;
  }

  Report check(List<MockCluster.Call> calls) {
    Map<String, String> allowed = new TreeMap<>();
    List<String> denied = new ArrayList<>();
    for (MockCluster.Call call : calls) {
      Optional<Attributes> attributes = attributes(call.method(), call.path());
      if (attributes.isEmpty()) {
        String discovery = "GET " + call.path().replaceAll("\\?.*", "");
        if (call.method().equals("GET")) {
          allowed.put(discovery, "system:discovery (every authenticated client)");
        } else {
          denied.add(call.method() + " " + call.path());
        }
        continue;
      }
      Attributes a = attributes.get();
      if (a.group().equals("authorization.k8s.io") && a.verb().equals("create")) {
        // SelfSubjectRulesReview: leader election checks its Lease rights first.
        allowed.put(a.describe(), "system:basic-user (every authenticated client)");
        continue;
      }
      // Names vary per test; the rule is what matters.
      String key =
          new Attributes(a.verb(), a.group(), a.resource(), a.namespace(), null).describe();
      Optional<Grant> grant = grants.stream().filter(g -> g.allows(a)).findFirst();
      if (grant.isPresent()) {
        allowed.putIfAbsent(key, grant.get().describe());
      } else if (!denied.contains(key)) {
        denied.add(key);
      }
    }
    return new Report(allowed, denied);
  }

  /** The request's RBAC attributes; empty for non-resource paths (discovery, version). */
  static Optional<Attributes> attributes(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query =
        q < 0 ? "" : URLDecoder.decode(pathAndQuery.substring(q + 1), StandardCharsets.UTF_8);
    String[] parts = path.replaceAll("^/+", "").split("/", -1);
    int i;
    String group;
    if (parts.length >= 3 && parts[0].equals("api")) {
      group = "";
      i = 2;
    } else if (parts.length >= 4 && parts[0].equals("apis")) {
      group = parts[1];
      i = 3;
    } else {
      return Optional.empty();
    }
    String namespace = null;
    if (parts.length > i + 1 && parts[i].equals("namespaces")) {
      namespace = parts[i + 1];
      i += 2;
    }
    if (parts.length <= i) {
      return Optional.empty();
    }
    String resource = parts[i];
    String name = parts.length > i + 1 ? parts[i + 1] : null;
    if (parts.length > i + 2) {
      resource = resource + "/" + parts[i + 2];
    }
    boolean watch = query.contains("watch=true") || query.contains("watch=1");
    String verb =
        switch (method) {
          case "GET" -> name != null ? "get" : watch ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name != null ? "delete" : "deletecollection";
          default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    return Optional.of(new Attributes(verb, group, resource, namespace, name));
  }

  private static boolean has(JsonNode list, String value) {
    for (JsonNode v : list) {
      if (v.asText().equals(value) || v.asText().equals("*")) {
        return true;
      }
    }
    return false;
  }
}
