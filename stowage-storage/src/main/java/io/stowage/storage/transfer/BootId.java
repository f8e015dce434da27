package io.stowage.storage.transfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** The kernel's boot ID: unchanged while the page cache can be trusted, new after every reboot. */
final class BootId {
  private static final Path LINUX = Path.of("/proc/sys/kernel/random/boot_id");

  private BootId() {}

  /**
   * The current boot ID; where none can be read, a fresh one, so that nothing unsynced is trusted.
   */
  static String current() {
    try {
      String id = Files.readString(LINUX, StandardCharsets.US_ASCII).strip();
      if (!id.isEmpty()) {
        return id;
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or /proc is hidden: fall through.
    }
    return "unknown-" + UUID.randomUUID();
  }
}
