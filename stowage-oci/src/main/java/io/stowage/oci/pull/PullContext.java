package io.stowage.oci.pull;

import io.stowage.oci.Digest;
import io.stowage.oci.registry.RegistryClient;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.transfer.RetryPolicy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * What every layer of one pull shares: the registry, the connection budget (one permit per request
 * in flight, scanners and parts alike), the first failure, and progress counters.
 */
final class PullContext {
  final RegistryClient client;
  final String repository;
  final RetryPolicy retry;
  final Semaphore connections;
  final int concurrency;

  /** Layers of this pull not yet extracted (set by the puller, counted down as they finish). */
  final AtomicInteger unfinishedLayers = new AtomicInteger();

  final long partSize;
  final int bufferSize;
  final AtomicLong fetched = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  private PullProgress progress = PullProgress.NONE;
  private final AtomicReference<@Nullable StorageException> failure = new AtomicReference<>();
  private final Set<Runnable> aborters = ConcurrentHashMap.newKeySet();

  PullContext(
      RegistryClient client,
      String repository,
      RetryPolicy retry,
      int concurrency,
      long partSize,
      int bufferSize) {
    this.client = client;
    this.repository = repository;
    this.retry = retry;
    this.connections = new Semaphore(concurrency);
    this.concurrency = concurrency;
    this.partSize = partSize;
    this.bufferSize = bufferSize;
  }

  /** Sends this pull's progress to {@code p} (set before any layer starts). */
  void reportTo(PullProgress p) {
    this.progress = p;
  }

  PullProgress progress() {
    return progress;
  }

  /** {@code n} bytes of {@code layer} arrived. */
  void fetched(Digest layer, long n) {
    fetched.addAndGet(n);
    progress.fetched(layer, n);
  }

  void retried() {
    retries.incrementAndGet();
    progress.retried();
  }

  /**
   * Whether splitting a member into ranged parts would use connections that the layers' own streams
   * leave idle. When as many layers as connections are still to come, each layer's stream keeps a
   * connection busy, and parts would only add the cost of reading them back to hash them in order
   * (and writers contending for one file).
   */
  boolean partsHelp() {
    return unfinishedLayers.get() < concurrency;
  }

  /** Records the first failure and unblocks every reader. */
  void fail(StorageException e) {
    if (failure.compareAndSet(null, e)) {
      aborters.forEach(Runnable::run);
    }
  }

  @Nullable StorageException failure() {
    return failure.get();
  }

  void checkNotFailed() {
    StorageException e = failure.get();
    if (e != null) {
      throw new StorageException(e.failure(), "stopped: another layer failed", null);
    }
  }

  void onFailure(Runnable aborter) {
    aborters.add(aborter);
  }

  void forget(Runnable aborter) {
    aborters.remove(aborter);
  }

  void acquire() {
    try {
      connections.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(Failure.INTERNAL, "Interrupted", e);
    }
  }

  void release() {
    connections.release();
  }

  void pause(int attempt) {
    retry.pause(attempt);
  }
}
