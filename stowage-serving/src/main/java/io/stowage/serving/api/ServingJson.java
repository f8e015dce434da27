package io.stowage.serving.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The one JSON mapper of the serving model, and the conversions between the records' "other fields"
 * and fabric8's typed Kubernetes objects.
 *
 * <p>KServe inlines core types into its own: {@code predictor} is a PodSpec with extra fields,
 * {@code predictor.model} a Container with extra fields. The records keep the KServe fields typed
 * and everything else as JSON; {@link #convertKnown} turns the JSON part into the fabric8 type,
 * taking only the properties that type declares, so that a field Kubernetes does not know never
 * reaches a Deployment.
 */
public final class ServingJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
          .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

  private static final Map<Class<?>, Set<String>> PROPERTIES = new ConcurrentHashMap<>();

  private ServingJson() {}

  /** The shared mapper; treat it as read-only. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The JSON property names a (fabric8 or record) type declares. */
  public static Set<String> propertiesOf(Class<?> type) {
    return PROPERTIES.computeIfAbsent(type, ServingJson::introspect);
  }

  private static Set<String> introspect(Class<?> type) {
    JavaType javaType = MAPPER.constructType(type);
    return MAPPER.getSerializationConfig().introspect(javaType).findProperties().stream()
        .map(BeanPropertyDefinition::getName)
        .filter(name -> !name.equals("additionalProperties"))
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Builds {@code type} from those of {@code fields} that it declares. */
  public static <T> T convertKnown(Map<String, JsonNode> fields, Class<T> type) {
    Set<String> known = propertiesOf(type);
    ObjectNode node = MAPPER.createObjectNode();
    fields.forEach(
        (name, value) -> {
          if (known.contains(name) && value != null) {
            node.set(name, value);
          }
        });
    return MAPPER.convertValue(node, type);
  }

  /** Those of {@code fields} that {@code type} does not declare, in their original order. */
  public static Map<String, JsonNode> unknownTo(Map<String, JsonNode> fields, Class<?> type) {
    Set<String> known = propertiesOf(type);
    Map<String, JsonNode> unknown = new LinkedHashMap<>();
    fields.forEach(
        (name, value) -> {
          if (!known.contains(name)) {
            unknown.put(name, value);
          }
        });
    return unknown;
  }

  /** A deep copy of any model object, through JSON. */
  public static <T> T copy(T value, Class<T> type) {
    return MAPPER.convertValue(MAPPER.valueToTree(value), type);
  }

  /** {@code value} as a JSON tree. */
  public static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** Reads a JSON tree as {@code type}. */
  public static <T> T fromTree(JsonNode node, Class<T> type) {
    return MAPPER.convertValue(node, type);
  }

  /** An unmodifiable copy of a record's other fields (JSON nulls kept), empty for none. */
  static Map<String, JsonNode> otherFields(Map<String, JsonNode> fields) {
    return fields == null
        ? Map.of()
        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }
}
