package io.stowage.storage.archive;

/**
 * A regular file the extraction left in the destination (hard links included, each under its own
 * name; directories and symbolic links are not listed).
 *
 * @param relativePath {@code /}-separated path under the destination
 * @param size its size in bytes
 */
public record ExtractedFile(String relativePath, long size) {}
