package io.stowage.storage.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One file being fetched: its staging file, the parts still to dispense, the parts done, and the
 * MD5 computed in order over the done prefix as parts complete (so verifying a large file does not
 * wait for its last byte).
 */
final class FileTask {
  final RemoteFile file;
  final Path staging;
  final Path target;
  final List<ByteRange> parts;
  private int dispensed;
  private int outstanding;
  private @Nullable FileChannel channel;
  private final TreeSet<ByteRange> done = new TreeSet<>();
  private final List<ByteRange> unjournaled = new ArrayList<>();
  private final @Nullable MessageDigest digest;
  private long hashedUpTo;
  private boolean hashing;
  private boolean md5Trustworthy = true;
  private final boolean md5Based;
  private final boolean resumes;

  FileTask(
      RemoteFile file, Path staging, Path target, List<ByteRange> resumed, List<ByteRange> parts) {
    this.file = file;
    this.staging = staging;
    this.target = target;
    this.parts = List.copyOf(parts);
    this.outstanding = parts.size();
    this.done.addAll(resumed);
    this.resumes = !resumed.isEmpty();
    this.digest =
        file.verification() instanceof Verification.Digest d ? d.newDigest(file.size()) : null;
    this.md5Based =
        file.verification() instanceof Verification.Digest d
            && d.algorithm() == Verification.Algorithm.MD5;
  }

  /** True when the staging file holds bytes of an earlier run that are kept. */
  boolean resumes() {
    return resumes;
  }

  synchronized void opened(FileChannel ch) {
    this.channel = ch;
  }

  synchronized FileChannel channel() {
    FileChannel ch = channel;
    if (ch == null) {
      throw new IllegalStateException("file task not opened: " + file.path());
    }
    return ch;
  }

  synchronized boolean isOpened() {
    return channel != null;
  }

  /** The next part to fetch, or null when all were handed out. */
  synchronized @Nullable ByteRange nextPart() {
    return dispensed < parts.size() ? parts.get(dispensed++) : null;
  }

  synchronized boolean hasUndispensedParts() {
    return dispensed < parts.size();
  }

  /** Records a completed part; true when it was the last one. */
  synchronized boolean partDone(ByteRange part) {
    done.add(part);
    unjournaled.add(part);
    outstanding--;
    return outstanding == 0;
  }

  synchronized boolean isComplete() {
    return outstanding == 0;
  }

  /** Parts completed since the last call, for the journal. */
  synchronized List<ByteRange> takeUnjournaled() {
    List<ByteRange> out = List.copyOf(unjournaled);
    unjournaled.clear();
    return out;
  }

  /** The source says this object's version tag is not a content digest after all. */
  synchronized void distrustMd5() {
    md5Trustworthy = false;
  }

  /**
   * Whether the content is hashed and compared before publishing: always, except an MD5 from an
   * ETag the source says is no content hash (checksums such as SHA-256 or CRC64NVME still hold).
   */
  synchronized boolean digestApplies() {
    return digest != null && (md5Trustworthy || !md5Based);
  }

  /**
   * Hashes completed parts that extend the hashed prefix, reading them back from the staging file
   * (page cache). Only one thread hashes a file at a time; others return at once.
   *
   * @param wait when true, waits for a concurrent hasher and then finishes the job (for publishing)
   */
  void hashAvailable(byte[] buffer, boolean wait) throws IOException, InterruptedException {
    MessageDigest digest = this.digest;
    if (digest == null) {
      return;
    }
    synchronized (this) {
      while (hashing) {
        if (!wait) {
          return;
        }
        wait();
      }
      hashing = true;
    }
    try {
      while (true) {
        ByteRange next;
        synchronized (this) {
          next = nextToHash();
          if (next == null) {
            return;
          }
        }
        readInto(digest, next, buffer);
        synchronized (this) {
          hashedUpTo = next.end();
        }
      }
    } finally {
      synchronized (this) {
        hashing = false;
        notifyAll();
      }
    }
  }

  /** The done bytes that continue the hashed prefix; done ranges are disjoint. */
  private @Nullable ByteRange nextToHash() {
    ByteRange covering = done.floor(new ByteRange(hashedUpTo, Long.MAX_VALUE));
    if (covering != null && covering.start() <= hashedUpTo && covering.end() > hashedUpTo) {
      return new ByteRange(hashedUpTo, covering.end());
    }
    return null;
  }

  private void readInto(MessageDigest digest, ByteRange range, byte[] buffer) throws IOException {
    FileChannel ch = channel();
    long pos = range.start();
    ByteBuffer buf = ByteBuffer.wrap(buffer);
    while (pos < range.end()) {
      buf.clear();
      buf.limit((int) Math.min(buffer.length, range.end() - pos));
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("staging file " + staging + " is shorter than its completed parts");
      }
      digest.update(buffer, 0, n);
      pos += n;
    }
  }

  /** The digest of the whole file; valid once every byte was hashed. */
  synchronized String digestHex() {
    MessageDigest digest = this.digest;
    if (digest == null || (file.sizeKnown() && hashedUpTo != file.size())) {
      throw new IllegalStateException("digest incomplete for " + file.path() + " at " + hashedUpTo);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
