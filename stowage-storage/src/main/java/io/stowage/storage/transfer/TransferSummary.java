package io.stowage.storage.transfer;

import java.time.Duration;

/**
 * What a finished transfer did.
 *
 * @param plan what it set out to do
 * @param fetchedBytes bytes that came over the network
 * @param retries requests that were retried
 * @param elapsed wall-clock time
 */
public record TransferSummary(
    TransferPlan plan, long fetchedBytes, int retries, Duration elapsed) {}
