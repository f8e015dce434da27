package io.stowage.storage.transfer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of a running transfer, cheap to update from workers and to poll from a reporter.
 */
public final class TransferProgress {
  private final LongAdder fetched = new LongAdder();
  private final AtomicInteger published = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();
  private volatile long totalBytes;
  private volatile long startingBytes;
  private volatile int totalFiles;

  void start(TransferPlan plan) {
    totalBytes = plan.bytes();
    startingBytes = plan.upToDateBytes() + plan.resumedBytes();
    totalFiles = plan.files();
    published.set(plan.upToDate());
  }

  void fetched(long n) {
    fetched.add(n);
  }

  void published() {
    published.incrementAndGet();
  }

  void retried() {
    retries.incrementAndGet();
  }

  /** Bytes that came over the network so far. */
  public long fetchedBytes() {
    return fetched.sum();
  }

  /** Bytes in place so far: already present at the start plus fetched. */
  public long doneBytes() {
    return startingBytes + fetched.sum();
  }

  public long totalBytes() {
    return totalBytes;
  }

  public int publishedFiles() {
    return published.get();
  }

  public int totalFiles() {
    return totalFiles;
  }

  public int retries() {
    return retries.get();
  }
}
