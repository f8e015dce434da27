package io.stowage.cli.progress;

import java.util.List;

/**
 * The state of a running transfer at one instant.
 *
 * @param doneBytes bytes in place (or sent) so far
 * @param totalBytes bytes the transfer covers
 * @param doneFiles files finished
 * @param totalFiles files the transfer covers
 * @param active files with bytes in flight, largest first
 * @param unit what the counted things are, plural ("files"; "layers" for an image pull)
 */
public record Snapshot(
    long doneBytes,
    long totalBytes,
    int doneFiles,
    int totalFiles,
    List<FileState> active,
    String unit) {
  public Snapshot {
    active = List.copyOf(active);
  }

  /** Of files, the usual unit. */
  public Snapshot(
      long doneBytes, long totalBytes, int doneFiles, int totalFiles, List<FileState> active) {
    this(doneBytes, totalBytes, doneFiles, totalFiles, active, "files");
  }

  public static final Snapshot EMPTY = new Snapshot(0, 0, 0, 0, List.of());

  /** A file in flight; {@code size} is negative when unknown. */
  public record FileState(String name, long size, long done) {}

  /** Completion from 0 to 1; 1 when there is nothing to do. */
  public double fraction() {
    return totalBytes <= 0 ? 1.0 : Math.min(1.0, (double) doneBytes / totalBytes);
  }
}
