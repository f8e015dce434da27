package io.stowage.storage.initializer;

import io.stowage.storage.transfer.TransferListener;
import io.stowage.storage.transfer.TransferProgress;
import io.stowage.storage.transfer.TransferSummary;
import java.nio.file.Path;

/**
 * Watches the initializer's transfers as they run: the hook for a display meant for people ({@code
 * stowage pull}). A watcher takes over progress reporting, so the periodic progress log lines of
 * the init container are not written while one is attached. Called from worker threads.
 */
public interface TransferWatcher extends TransferListener {

  /** A transfer from {@code source} begins; {@code progress} is live until it finishes. */
  default void started(String source, Path destination, TransferProgress progress) {}

  /** The transfer finished and every file is verified and in place. */
  default void finished(String source, Path destination, TransferSummary summary) {}
}
