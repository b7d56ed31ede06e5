package de.ackservice.k8s;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes YAML into the fabric8 model of the Kubernetes API types, strictly: a field the API type does not
 * have fails, as does a duplicate key, a value of the wrong type (no "2" for an integer) and an apiVersion/kind that
 * names no type we deploy. fabric8 itself would collect unknown fields into each object's additionalProperties
 * (its {@code @JsonAnySetter}); this reader switches that off, so Jackson reports the unknown field with its path.
 */
final class StrictManifests {

  /** The API types k8s/ may contain, by "apiVersion/kind". A kind not listed here is an error, not a pass. */
  private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
    "v1/ConfigMap", ConfigMap.class,
    "v1/Service", Service.class,
    "apps/v1/Deployment", Deployment.class,
    "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
    "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
    "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

  private static final ObjectMapper MAPPER = YAMLMapper.builder()
    .annotationIntrospector(new NoUnknownFields())
    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
    .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
    .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
    .build();

  private StrictManifests() {
  }

  /** Every document of a YAML stream ({@code ---} separated), as typed objects; empty documents are skipped. */
  static List<HasMetadata> parse(String yaml, String source) {
    List<HasMetadata> objects = new ArrayList<>();
    try (JsonParser parser = MAPPER.createParser(yaml);
         MappingIterator<JsonNode> documents = MAPPER.readValues(parser, JsonNode.class)) {
      int index = 0;
      while (documents.hasNextValue()) {
        JsonNode document = documents.nextValue();
        index++;
        if (document == null || document.isNull() || document.isMissingNode()) {
          continue;
        }
        objects.add(toType(document, source + " document " + index));
      }
    } catch (IOException | RuntimeException e) {
      throw new InvalidManifestException(source + ": " + e.getMessage(), e);
    }
    return objects;
  }

  /** The single object of a one-document file, as the expected type. */
  static <T extends HasMetadata> T parseOne(String yaml, String source, Class<T> type) {
    List<HasMetadata> objects = parse(yaml, source);
    if (objects.size() != 1 || !type.isInstance(objects.get(0))) {
      throw new InvalidManifestException(source + ": expected exactly one " + type.getSimpleName() + ", found "
        + objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList());
    }
    return type.cast(objects.get(0));
  }

  /** Any YAML or JSON text as a tree, with duplicate keys rejected (for kustomization.yaml and config files). */
  static JsonNode tree(String yaml, String source) {
    try {
      return MAPPER.readTree(yaml);
    } catch (IOException e) {
      throw new InvalidManifestException(source + ": " + e.getMessage(), e);
    }
  }

  private static HasMetadata toType(JsonNode document, String where) throws IOException {
    String key = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
    Class<? extends HasMetadata> type = TYPES.get(key);
    if (type == null) {
      throw new InvalidManifestException(where + ": no API type for apiVersion/kind '" + key + "'; known: "
        + TYPES.keySet());
    }
    HasMetadata object = MAPPER.treeToValue(document, type);
    if (object.getMetadata() == null || object.getMetadata().getName() == null) {
      throw new InvalidManifestException(where + ": " + key + " has no metadata.name");
    }
    return object;
  }

  static final class InvalidManifestException extends RuntimeException {
    InvalidManifestException(String message) {
      super(message);
    }

    InvalidManifestException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Turns off fabric8's catch-all for unknown fields, so that FAIL_ON_UNKNOWN_PROPERTIES applies to them. */
  private static final class NoUnknownFields extends JacksonAnnotationIntrospector {
    @Override
    public Boolean hasAnySetter(Annotated annotated) {
      return Boolean.FALSE;
    }

    @Override
    public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated annotated) {
      JsonIgnoreProperties.Value declared = super.findPropertyIgnoralByName(config, annotated);
      return declared == null ? null : declared.withoutIgnoreUnknown();
    }
  }
}
