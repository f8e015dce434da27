package io.stowage.storage.transfer;

/**
 * Feeds a {@link TransferProgress} from an engine outside this package (the OCI puller), so that a
 * display built for the transfer engine shows its work too. Its units (layers, for an image) are
 * named by relative paths that need not exist on disk.
 */
public final class ProgressFeed {
  private final TransferProgress progress = new TransferProgress();

  /**
   * @param plan the units to move and their bytes, counted as files by the plan's fields
   * @param unit what the units are, plural ("layers"), for displays
   */
  public ProgressFeed(TransferPlan plan, String unit) {
    progress.start(plan);
    progress.unit(unit);
  }

  /** The live counters, for {@code TransferWatcher.started}. */
  public TransferProgress progress() {
    return progress;
  }

  /** {@code n} more bytes of {@code unit}, which has {@code size} bytes in all. */
  public void fetched(RelativePath unit, long size, long n) {
    progress.fetched(unit, size, n);
  }

  /** {@code unit} is complete and in place. */
  public void done(RelativePath unit) {
    progress.published(unit);
  }

  public void retried() {
    progress.retried();
  }
}
