package io.stowage.storage.archive;

import io.stowage.storage.StorageException;
import org.jspecify.annotations.Nullable;

/**
 * Counts what one archive expands to, as it streams, against {@link ArchiveLimits}: members,
 * decompressed bytes in total, and decompressed bytes per byte of the archive. The one place these
 * limits are enforced, for archives from any source and for OCI image layers alike, so a bomb is
 * refused with the same words ({@link io.stowage.storage.Failure#UNSAFE_SOURCE}) wherever it comes
 * from. Not thread-safe: one per archive being read.
 */
public final class ExpansionMeter {
  private final String archiveName;
  private final long archiveSize;
  private final ArchiveLimits limits;

  /** Expanded bytes beyond which the ratio limit is exceeded. */
  private final long ratioCap;

  private long entries;
  private long expanded;

  /**
   * @param archiveName how messages name the archive (a file name, a layer digest)
   * @param archiveSize the archive's size as stored (compressed), which the ratio is taken of
   */
  public ExpansionMeter(String archiveName, long archiveSize, ArchiveLimits limits) {
    this.archiveName = archiveName;
    this.archiveSize = archiveSize;
    this.limits = limits;
    double cap = limits.maxRatio() * (double) archiveSize;
    this.ratioCap = Math.max(ArchiveLimits.RATIO_GRACE_BYTES, (long) Math.min(cap, 0x1p63));
  }

  /** Members counted so far. */
  public long entries() {
    return entries;
  }

  /** Decompressed bytes counted so far. */
  public long expanded() {
    return expanded;
  }

  /** Counts one member, of whatever type, against the entry limit. */
  public void entry(String member) {
    if (++entries > limits.maxEntries()) {
      throw ArchiveFailures.limit(
          archiveName,
          member,
          "it has more than "
              + limits.maxEntries()
              + " entries; raise STOWAGE_ARCHIVE_MAX_ENTRIES if it is genuine");
    }
  }

  /**
   * Refuses a member whose header declares a size that would take the archive over the limits,
   * before any of its bytes are read. Counts nothing: its bytes are counted as they arrive.
   */
  public void declared(String member, long size) {
    if (size > 0) {
      check(member, saturatedAdd(expanded, size), size);
    }
  }

  /**
   * Counts {@code bytes} more decompressed bytes.
   *
   * @param member the member they belong to, or null for data after the archive's end
   */
  public void expanded(@Nullable String member, long bytes) {
    expanded = saturatedAdd(expanded, bytes);
    check(member, expanded, 0);
  }

  /**
   * @param declared the member size a header announced, when that is what pushes {@code total}
   *     over, or 0
   */
  private void check(@Nullable String member, long total, long declared) {
    String expands =
        declared > 0
            ? "its header declares "
                + ArchiveFailures.bytes(declared)
                + ", so the archive would expand to more than "
            : "it expands to more than ";
    if (total > limits.maxTotalBytes()) {
      throw overLimit(
          member,
          expands
              + ArchiveFailures.bytes(limits.maxTotalBytes())
              + "; raise STOWAGE_ARCHIVE_MAX_BYTES if it is genuine");
    }
    if (total > ratioCap) {
      throw overLimit(
          member,
          expands
              + ratioText()
              + " times its size of "
              + ArchiveFailures.bytes(archiveSize)
              + ", the mark of a decompression bomb; raise STOWAGE_ARCHIVE_MAX_RATIO if it is"
              + " genuine");
    }
  }

  private StorageException overLimit(@Nullable String member, String reason) {
    if (member == null) {
      return StorageException.unsafe(
          "Refusing archive "
              + ArchiveFailures.quote(archiveName)
              + " after its last member: "
              + reason);
    }
    return ArchiveFailures.limit(archiveName, member, reason);
  }

  private String ratioText() {
    double r = limits.maxRatio();
    return r == Math.rint(r) && r < 1e15 ? Long.toString((long) r) : Double.toString(r);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
