package io.stowage.controller.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stowage.common.UriRedaction;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code v1} Events about InferenceServices. The same reason and message for the same object
 * is written once: reconciles repeat (every pod change causes one), events should not. Failing to
 * write an event is logged and otherwise ignored; it never fails a reconcile.
 *
 * <p>Events are written in the background, as client-go's event broadcaster does: {@link #record}
 * builds the event and queues it, and two writer threads send it. A reconcile that creates a
 * Deployment, a Service and an HPA records three events; sent inline, they were three of its seven
 * sequential requests, and on the real control plane they slowed a burst of 1,000 new
 * InferenceServices by as much as the applies themselves (bench/RESULTS-controller.md). When more
 * than 4,096 events wait, new ones are dropped and counted in the log, so a slow API server never
 * makes the controller's memory grow. {@link #close} sends what is queued, for a few seconds at
 * most.
 */
public final class EventRecorder implements AutoCloseable {
  public static final String COMPONENT = "stowage-controller";
  private static final Logger logger = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;
  private static final int REMEMBERED = 20_000;
  private static final int WRITERS = 2;
  private static final int QUEUED = 4096;
  private static final Duration FLUSH = Duration.ofSeconds(5);

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

  private final ThreadPoolExecutor writers;
  private final AtomicLong dropped = new AtomicLong();

  public EventRecorder(KubernetesClient client, String instance) {
    this.client = client;
    this.instance = instance;
    AtomicInteger threads = new AtomicInteger();
    this.writers =
        new ThreadPoolExecutor(
            WRITERS,
            WRITERS,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUED),
            r -> {
              Thread t = new Thread(r, "stowage-events-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            (r, pool) -> {
              long n = dropped.incrementAndGet();
              if (n == 1 || n % 100 == 0) {
                logger.warn("{} events dropped: more than {} wait for the API server", n, QUEUED);
              }
            });
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
    writers.execute(() -> write(event, about, key, reason));
  }

  private void write(Event event, HasMetadata about, String key, String reason) {
    try {
      client.v1().events().resource(event).create();
    } catch (RuntimeException e) { // KubernetesClientException, or the client closed under us
      lastByObjectAndReason.remove(key);
      logger.warn(
          "cannot record event {} on {}/{}: {}",
          reason,
          Objects.requireNonNullElse(about.getMetadata().getNamespace(), ""),
          about.getMetadata().getName(),
          e.getMessage());
    }
  }

  /** Sends the queued events, waiting {@code FLUSH} at most, then stops the writers. */
  @Override
  public void close() {
    writers.shutdown();
    try {
      if (!writers.awaitTermination(FLUSH.toMillis(), TimeUnit.MILLISECONDS)) {
        logger.warn("{} events not sent before shutdown", writers.getQueue().size());
        writers.shutdownNow();
      }
    } catch (InterruptedException e) {
      writers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
