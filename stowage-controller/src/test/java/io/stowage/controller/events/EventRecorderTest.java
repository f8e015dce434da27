package io.stowage.controller.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {
  @SuppressWarnings("NullAway.Init") // the extension injects it
  static KubernetesClient client;

  @BeforeEach
  void clean() {
    client.v1().events().inNamespace("ns").delete();
  }

  @Test
  void theSameMessageForTheSameObjectAndReasonIsWrittenOnce() {
    try (EventRecorder recorder = new EventRecorder(client, "replica-1")) {
      Pod about = object("a", "uid-a");
      recorder.record(about, EventRecorder.Type.NORMAL, "Created", "created Deployment a");
      recorder.record(about, EventRecorder.Type.NORMAL, "Created", "created Deployment a");
      recorder.record(about, EventRecorder.Type.NORMAL, "Created", "created Service a");
      recorder.record(object("b", "uid-b"), EventRecorder.Type.NORMAL, "Created", "created b");
    }
    assertThat(events())
        .extracting(Event::getMessage)
        .containsExactlyInAnyOrder("created Deployment a", "created Service a", "created b");
    Event first = events().get(0);
    assertThat(first.getReportingInstance()).isEqualTo("replica-1");
    assertThat(first.getSource().getComponent()).isEqualTo(EventRecorder.COMPONENT);
  }

  @Test
  void closingSendsEveryQueuedEventBeforeItReturns() {
    EventRecorder recorder = new EventRecorder(client, "replica-1");
    for (int i = 0; i < 300; i++) {
      recorder.record(object("o" + i, "uid-" + i), EventRecorder.Type.NORMAL, "Created", "n" + i);
    }
    // record() only queues; close() is what waits for the writers.
    recorder.close();
    assertThat(events()).hasSize(300);
  }

  @Test
  void credentialsInAUriNeverReachAnEvent() {
    try (EventRecorder recorder = new EventRecorder(client, "replica-1")) {
      recorder.record(
          object("c", "uid-c"),
          EventRecorder.Type.WARNING,
          "ReconcileFailed",
          "cannot read https://user:hunter2@models.example.com/m");
    }
    assertThat(events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getMessage()).doesNotContain("hunter2").contains("models.example.com");
              assertThat(e.getType()).isEqualTo("Warning");
            });
  }

  private static List<Event> events() {
    return client.v1().events().inNamespace("ns").list().getItems();
  }

  private static Pod object(String name, String uid) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .withUid(uid)
        .endMetadata()
        .build();
  }
}
