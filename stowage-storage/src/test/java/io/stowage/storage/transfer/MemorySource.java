package io.stowage.storage.transfer;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

/**
 * An in-memory source for engine tests, with hooks that make requests fail the ways networks do:
 * connection cut after some bytes, errors before any byte, corrupted bytes.
 */
final class MemorySource implements Source {
  final Map<String, byte[]> files = new LinkedHashMap<>();
  final Map<String, String> versions = new LinkedHashMap<>();
  final AtomicInteger requests = new AtomicInteger();
  final AtomicLong servedBytes = new AtomicLong();

  /** Request numbers (1-based) that are cut after {@link #cutAfter} bytes. */
  volatile IntPredicate cut = n -> false;

  volatile long cutAfter = 0;

  /** Request numbers that fail before sending anything. */
  volatile IntPredicate refuse = n -> false;

  /** Request numbers that throw a permanent failure. */
  volatile IntPredicate deny = n -> false;

  /** Flip one byte at this offset of every response, when non-negative. */
  volatile long corruptAt = -1;

  volatile boolean claimMd5 = true;

  /** After this many requests the source throws, as if the process were killed mid-run. */
  volatile int dieAfterRequests = Integer.MAX_VALUE;

  /** Serve files as one stream without ranges (false), and optionally without announcing a size. */
  volatile boolean seekable = true;

  volatile boolean announceSize = true;

  /** Runs once, when the first request arrives (to change the destination mid-run). */
  volatile Runnable onFirstRequest = () -> {};

  void put(String path, byte[] content) {
    files.put(path, content);
    versions.put(path, "\"" + md5(content) + "\"");
  }

  @Override
  public String display() {
    return "mem://test";
  }

  @Override
  public List<RemoteFile> list() {
    List<RemoteFile> out = new ArrayList<>();
    files.forEach(
        (path, bytes) -> {
          String hex = md5(bytes);
          Verification v =
              claimMd5
                  ? new Verification.Digest(Verification.Algorithm.MD5, hex, "the test source")
                  : new Verification.SizeOnly("test");
          long size = announceSize ? bytes.length : RemoteFile.UNKNOWN_SIZE;
          out.add(
              new RemoteFile(
                  new RelativePath(path),
                  size,
                  versions.getOrDefault(path, ""),
                  announceSize ? v : new Verification.SizeOnly("test"),
                  path,
                  seekable));
        });
    return out;
  }

  @Override
  public RangeStream open(RemoteFile file, long start, long requestedEnd) throws IOException {
    int n = requests.incrementAndGet();
    if (n == 1) {
      onFirstRequest.run();
    }
    if (n > dieAfterRequests) {
      throw new KilledException();
    }
    if (deny.test(n)) {
      throw new DeniedException();
    }
    if (refuse.test(n)) {
      throw new IOException("connection refused (test)");
    }
    byte[] content = files.getOrDefault(file.locator(), new byte[0]);
    if (!seekable && start != 0) {
      throw new IllegalStateException("asked a non-seekable source for a range at " + start);
    }
    long endExclusive = Math.min(requestedEnd, content.length);
    long limit = cut.test(n) ? Math.min(endExclusive, start + cutAfter) : endExclusive;
    return new RangeStream() {
      long pos = start;

      @Override
      public int read(ByteBuffer dst) throws IOException {
        if (pos >= endExclusive) {
          return -1;
        }
        if (pos >= limit) {
          throw new IOException("connection reset (test)");
        }
        int len = (int) Math.min(dst.remaining(), limit - pos);
        int at = dst.position();
        dst.put(content, (int) pos, len);
        if (corruptAt >= pos && corruptAt < pos + len) {
          int i = at + (int) (corruptAt - pos);
          dst.put(i, (byte) (dst.get(i) ^ 0x5a));
        }
        pos += len;
        servedBytes.addAndGet(len);
        return len;
      }

      @Override
      public void abort() {}

      @Override
      public void close() {}
    };
  }

  @Override
  public boolean isPermanent(IOException e) {
    return e instanceof DeniedException || e instanceof KilledException;
  }

  @Override
  public StorageException classify(IOException e, String doing) {
    if (e instanceof DeniedException) {
      return new StorageException(Failure.AUTH, "denied while " + doing, e);
    }
    if (e instanceof KilledException) {
      return new StorageException(Failure.INTERNAL, "killed", e);
    }
    return new StorageException(
        Failure.NETWORK, "network: " + e.getMessage() + " while " + doing, e);
  }

  static String md5(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static final class DeniedException extends IOException {
    private static final long serialVersionUID = 1L;
  }

  static final class KilledException extends IOException {
    private static final long serialVersionUID = 1L;
  }
}
