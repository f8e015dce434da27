package io.stowage.cli.pack;

import io.stowage.common.ByteSize;
import io.stowage.storage.StorageException;

/** Sizes of {@code pack}'s flags, read as every size is ({@link ByteSize}). */
final class Sizes {
  private Sizes() {}

  static long parse(String option, String text) {
    long bytes;
    try {
      bytes = ByteSize.parse(text);
    } catch (IllegalArgumentException e) {
      bytes = 0;
    }
    if (bytes <= 0) {
      throw StorageException.usage(
          option + " must be a positive size such as 16Mi or 10G (10^9), not '" + text + "'");
    }
    return bytes;
  }
}
