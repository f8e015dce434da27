package io.stowage.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The bytes a test server answers with: held in memory, or a file on disk that is streamed from
 * positions of a {@link FileChannel} on every request and never loaded whole.
 *
 * <p>A file's size and modification time are read once, when it is registered: change the file and
 * register it again, or the server will announce the old size.
 */
abstract sealed class ServedContent permits ServedContent.InMemory, ServedContent.OnDisk {

  /** Large enough for loopback throughput, small enough to allocate per request. */
  static final int CHUNK = 256 * 1024;

  private final long size;
  private final Instant lastModified;

  private ServedContent(long size, Instant lastModified) {
    this.size = size;
    this.lastModified = lastModified.truncatedTo(ChronoUnit.SECONDS);
  }

  static ServedContent of(byte[] bytes) {
    return new InMemory(bytes.clone(), Instant.now());
  }

  /**
   * @throws UncheckedIOException if the file cannot be read
   */
  static ServedContent of(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("not a regular file: " + file);
      }
      return new OnDisk(file, Files.size(file), Files.getLastModifiedTime(file).toInstant());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  final long size() {
    return size;
  }

  /** Whole seconds, as HTTP dates carry them. */
  final Instant lastModified() {
    return lastModified;
  }

  /**
   * A short text that changes whenever the content does, for entity tags: the MD5 of bytes in
   * memory, the modification time (at the file system's precision) and size of a file on disk.
   */
  abstract String version();

  /** Writes {@code length} bytes starting at {@code offset}. */
  abstract void write(OutputStream out, long offset, long length) throws IOException;

  /** Feeds the whole content to each digest, in one pass. */
  abstract void digest(MessageDigest... digests);

  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + algorithm, e);
    }
  }

  static final class InMemory extends ServedContent {
    private final byte[] bytes;

    private final String version;

    private InMemory(byte[] bytes, Instant lastModified) {
      super(bytes.length, lastModified);
      this.bytes = bytes;
      this.version = HexFormat.of().formatHex(digest("MD5").digest(bytes));
    }

    @Override
    String version() {
      return version;
    }

    @Override
    void write(OutputStream out, long offset, long length) throws IOException {
      out.write(bytes, Math.toIntExact(offset), Math.toIntExact(length));
    }

    @Override
    void digest(MessageDigest... digests) {
      for (MessageDigest digest : digests) {
        digest.update(bytes);
      }
    }
  }

  static final class OnDisk extends ServedContent {
    private final Path file;
    private final String version;

    private OnDisk(Path file, long size, Instant lastModified) {
      super(size, lastModified);
      this.file = file;
      long nanos = lastModified.getEpochSecond() * 1_000_000_000L + lastModified.getNano();
      this.version = Long.toHexString(nanos) + "-" + Long.toHexString(size);
    }

    @Override
    String version() {
      return version;
    }

    @Override
    void write(OutputStream out, long offset, long length) throws IOException {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, length)));
        long position = offset;
        long end = offset + length;
        while (position < end) {
          buffer.clear();
          buffer.limit((int) Math.min(buffer.capacity(), end - position));
          int read = channel.read(buffer, position);
          if (read < 0) {
            throw new IOException(file + " shrank while being served");
          }
          out.write(buffer.array(), 0, read);
          position += read;
        }
      }
    }

    @Override
    void digest(MessageDigest... digests) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        long position = 0;
        while (position < size()) {
          buffer.clear();
          buffer.limit((int) Math.min(buffer.capacity(), size() - position));
          int read = channel.read(buffer, position);
          if (read < 0) {
            throw new IOException(file + " shrank while being hashed");
          }
          for (MessageDigest digest : digests) {
            digest.update(buffer.array(), 0, read);
          }
          position += read;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot hash " + file, e);
      }
    }
  }
}
