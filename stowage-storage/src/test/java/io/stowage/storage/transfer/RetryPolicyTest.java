package io.stowage.storage.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final RetryPolicy THREE =
      new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2));

  private static StorageException classify(IOException e, String doing) {
    return new StorageException(Failure.NETWORK, doing + ": " + e.getMessage(), e);
  }

  @Test
  void aTransientFailureIsRetriedUntilTheCallSucceeds() {
    AtomicInteger calls = new AtomicInteger();

    String result =
        THREE.call(
            "listing",
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new IOException("reset");
              }
              return "ok";
            },
            e -> false,
            RetryPolicyTest::classify);

    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(3);
  }

  @Test
  void theLastFailureIsClassifiedWithWhatTheCallWasDoing() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                THREE.call(
                    "listing s3://b/p",
                    () -> {
                      calls.incrementAndGet();
                      throw new IOException("reset " + calls.get());
                    },
                    e -> false,
                    RetryPolicyTest::classify))
        .isInstanceOf(StorageException.class)
        .hasMessage("listing s3://b/p: reset 3");
    assertThat(calls).hasValue(3);
  }

  @Test
  void aPermanentFailureIsNotRetried() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                THREE.call(
                    "requesting",
                    () -> {
                      calls.incrementAndGet();
                      throw new FileNotFoundException("gone");
                    },
                    e -> e instanceof FileNotFoundException,
                    RetryPolicyTest::classify))
        .hasMessage("requesting: gone");
    assertThat(calls).hasValue(1);
  }

  @Test
  void anInterruptedPauseEndsTheRunAndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> THREE.pause(1))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.INTERNAL));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
