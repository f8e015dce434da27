package io.stowage.storage.transfer;

/**
 * What the engine reports while it works. Libraries never print; the command line turns these into
 * log lines. Methods may be called from any worker thread.
 */
public interface TransferListener {
  TransferListener NONE = new TransferListener() {};

  /** The plan is known: what is already in place and what must be fetched. */
  default void planned(TransferPlan plan) {}

  /** A request failed and will be retried. */
  default void retrying(RelativePath path, int attempt, String reason) {}

  /** A file was verified and published under its final name. */
  default void published(RelativePath path, long size) {}

  /** A file the source no longer has was removed from the destination. */
  default void removed(RelativePath path) {}
}
