/**
 * Safe extraction of a fetched model archive ({@code .tar} with or without gzip, bzip2, xz or zstd
 * compression, and {@code .zip}) into the destination directory.
 *
 * <p>{@link io.stowage.storage.archive.ArchiveExtractor} streams the archive into a hidden staging
 * directory inside the destination and moves the result into place only when every member was
 * extracted and checked; members that could reach outside the destination (absolute paths, {@code
 * ..}, escaping links, device files) and decompression bombs ({@link
 * io.stowage.storage.archive.ArchiveLimits}) are refused with {@link
 * io.stowage.storage.Failure#UNSAFE_SOURCE}, and a damaged archive with {@link
 * io.stowage.storage.Failure#INTEGRITY}.
 */
@NullMarked
package io.stowage.storage.archive;

import org.jspecify.annotations.NullMarked;
