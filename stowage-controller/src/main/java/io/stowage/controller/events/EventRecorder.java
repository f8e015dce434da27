package io.stowage.controller.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stowage.common.UriRedaction;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code v1} Events about InferenceServices. The same reason and message for the same object
 * is written once: reconciles repeat (every pod change causes one), events should not. Failing to
 * write an event is logged and otherwise ignored; it never fails a reconcile.
 */
public final class EventRecorder {
  public static final String COMPONENT = "stowage-controller";
  private static final Logger logger = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;
  private static final int REMEMBERED = 20_000;

  /** Normal or Warning, as Kubernetes types events. */
  public enum Type {
    NORMAL("Normal"),
    WARNING("Warning");

    private final String text;

    Type(String text) {
      this.text = text;
    }
  }

  private final KubernetesClient client;
  private final String instance;
  private final Map<String, String> lastByObjectAndReason =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > REMEMBERED;
            }
          });

  public EventRecorder(KubernetesClient client, String instance) {
    this.client = client;
    this.instance = instance;
  }

  /** Records the event unless the object's last event of this reason said the same. */
  public void record(HasMetadata about, Type type, String reason, String message) {
    String safe = UriRedaction.redactUrisIn(message);
    String text = safe.length() > MAX_MESSAGE ? safe.substring(0, MAX_MESSAGE) : safe;
    String key = about.getMetadata().getUid() + "|" + reason;
    String before = lastByObjectAndReason.put(key, text);
    if (text.equals(before)) {
      return;
    }
    String now = Instant.now().toString();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                about.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
            .withNamespace(about.getMetadata().getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(about.getApiVersion())
            .withKind(about.getKind())
            .withName(about.getMetadata().getName())
            .withNamespace(about.getMetadata().getNamespace())
            .withUid(about.getMetadata().getUid())
            .withResourceVersion(about.getMetadata().getResourceVersion())
            .endInvolvedObject()
            .withType(type.text)
            .withReason(reason)
            .withMessage(text)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(instance)
            .build();
    try {
      client.v1().events().resource(event).create();
    } catch (KubernetesClientException e) {
      lastByObjectAndReason.remove(key);
      logger.warn(
          "cannot record event {} on {}/{}: {}",
          reason,
          Objects.requireNonNullElse(about.getMetadata().getNamespace(), ""),
          about.getMetadata().getName(),
          e.getMessage());
    }
  }
}
