package io.stowage.storage.transfer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of a running transfer, cheap to update from workers and to poll from a reporter,
 * including the files being fetched right now (for a display that shows per-file state).
 */
public final class TransferProgress {
  private final LongAdder fetched = new LongAdder();
  private final AtomicInteger published = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();
  private final Map<RelativePath, ActiveFile> active = new ConcurrentHashMap<>();
  private volatile long totalBytes;
  private volatile long startingBytes;
  private volatile int totalFiles;
  private volatile String unit = "files";

  /** A file being fetched: its size ({@link RemoteFile#UNKNOWN_SIZE} when unknown), bytes in. */
  public record FileState(RelativePath path, long size, long done) {}

  private record ActiveFile(long size, LongAdder done) {}

  void start(TransferPlan plan) {
    totalBytes = plan.bytes();
    startingBytes = plan.upToDateBytes() + plan.resumedBytes();
    totalFiles = plan.files();
    published.set(plan.upToDate());
  }

  void fetched(RemoteFile file, long n) {
    fetched(file.path(), file.size(), n);
  }

  void fetched(RelativePath path, long size, long n) {
    fetched.add(n);
    active.computeIfAbsent(path, p -> new ActiveFile(size, new LongAdder())).done.add(n);
  }

  void published(RemoteFile file) {
    published(file.path());
  }

  void published(RelativePath path) {
    active.remove(path);
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

  /** What the counted things are, plural: "files", or "layers" for an image pull. */
  public String unit() {
    return unit;
  }

  void unit(String plural) {
    this.unit = plural;
  }

  public int retries() {
    return retries.get();
  }

  /**
   * The files with bytes in flight, largest first. Bytes fetched this run only: a resumed file's
   * earlier bytes count in {@link #doneBytes()} but not here.
   */
  public List<FileState> activeFiles() {
    List<FileState> out = new ArrayList<>();
    active.forEach((p, a) -> out.add(new FileState(p, a.size(), a.done().sum())));
    out.sort(Comparator.comparingLong(FileState::size).reversed());
    return out;
  }
}
