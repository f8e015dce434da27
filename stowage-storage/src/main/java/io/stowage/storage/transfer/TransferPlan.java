package io.stowage.storage.transfer;

/**
 * What a transfer will do.
 *
 * @param files files the source delivers
 * @param bytes their total size
 * @param upToDate files already published by an earlier run and unchanged
 * @param upToDateBytes their total size
 * @param resumedBytes bytes of partially fetched files that a resume keeps
 */
public record TransferPlan(
    int files, long bytes, int upToDate, long upToDateBytes, long resumedBytes) {
  public long bytesToFetch() {
    return bytes - upToDateBytes - resumedBytes;
  }
}
