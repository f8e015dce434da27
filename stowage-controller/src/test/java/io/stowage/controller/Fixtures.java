package io.stowage.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stowage.controller.crd.ClusterServingRuntimeResource;
import io.stowage.controller.crd.ClusterStorageContainerResource;
import io.stowage.controller.crd.InferenceServiceResource;
import io.stowage.controller.crd.ServingRuntimeResource;
import io.stowage.serving.api.ServingJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The repository's example manifests, read as JSON trees and created as typed objects. */
public final class Fixtures {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Fixtures() {}

  public static Path examples() {
    return Path.of(System.getProperty("stowage.examples.dir", "../examples"));
  }

  public static Path deploy() {
    return Path.of(System.getProperty("stowage.deploy.dir", "../deploy"));
  }

  /** Every document of a YAML file, comment-only documents left out. */
  public static List<ObjectNode> documents(Path file) {
    List<ObjectNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc instanceof ObjectNode o && o.has("kind")) {
          docs.add(o);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  public static ObjectNode example(String relative) {
    return documents(examples().resolve(relative)).get(0).deepCopy();
  }

  /** Creates the object a manifest describes. */
  public static HasMetadata create(KubernetesClient client, ObjectNode doc) {
    return client.resource(typed(doc)).create();
  }

  /** Creates every object of a file. */
  public static void createAll(KubernetesClient client, String relative) {
    for (ObjectNode doc : documents(examples().resolve(relative))) {
      create(client, doc);
    }
  }

  public static HasMetadata typed(ObjectNode doc) {
    Class<? extends HasMetadata> type =
        switch (doc.path("kind").asText()) {
          case "InferenceService" -> InferenceServiceResource.class;
          case "ServingRuntime" -> ServingRuntimeResource.class;
          case "ClusterServingRuntime" -> ClusterServingRuntimeResource.class;
          case "ClusterStorageContainer" -> ClusterStorageContainerResource.class;
          case "Secret" -> Secret.class;
          case "ServiceAccount" -> ServiceAccount.class;
          default -> throw new IllegalArgumentException("no fixture type for " + doc.path("kind"));
        };
    return ServingJson.fromTree(doc, type);
  }

  public static boolean exists(Path p) {
    return Files.exists(p);
  }
}
