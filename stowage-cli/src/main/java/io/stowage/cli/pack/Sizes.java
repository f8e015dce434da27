package io.stowage.cli.pack;

import io.stowage.common.ByteSize;
import io.stowage.storage.StorageException;

/** Sizes of {@code pack}'s flags, read as every size is ({@link ByteSize}). */
final class Sizes {
  private Sizes() {}

  static long parse(String option, String text) {
    try {
      long bytes = ByteSize.parse(text);
      if (bytes > 0) {
        return bytes;
      }
    } catch (IllegalArgumentException e) {
      // Reported below, with the option's name.
    }
    throw StorageException.usage(
        option + " must be a positive size such as 16Mi or 10G (10^9), not '" + text + "'");
  }
}
