package io.stowage.storage.archive;

import java.util.List;

/**
 * What an extraction put into the destination.
 *
 * @param files the regular files, in archive order; a member that appeared twice is listed once, as
 *     its last occurrence left it
 * @param totalBytes uncompressed member bytes written, the figure {@link
 *     ArchiveLimits#maxTotalBytes()} is checked against (hard links that could be linked rather
 *     than copied add nothing)
 */
public record ExtractionResult(List<ExtractedFile> files, long totalBytes) {
  public ExtractionResult {
    files = List.copyOf(files);
  }
}
