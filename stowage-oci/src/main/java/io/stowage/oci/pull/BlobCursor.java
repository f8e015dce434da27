package io.stowage.oci.pull;

import io.stowage.oci.Descriptor;
import io.stowage.oci.Digest;
import io.stowage.oci.registry.RegistryClient;
import io.stowage.storage.StorageException;
import io.stowage.storage.net.HttpResponse;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * Reads one blob front to back and hashes every byte in order. The underlying request is a ranged
 * GET from the current position, reopened after a failure (attempts count only when no byte
 * arrived) and dropped when the caller has a stretch fetched elsewhere: those bytes are fed back
 * through {@link #hashFetchedElsewhere} in order, so the digest still covers the whole blob.
 */
final class BlobCursor implements LayerInput {
  private final PullContext ctx;
  private final Descriptor blob;
  private final MessageDigest digest = Digest.sha256();
  private final ByteBuffer buffer;
  private final Runnable aborter = this::abortQuietly;
  private long position;
  private @Nullable HttpResponse response;

  /** False once the registry answered a range with the whole blob: no resuming then. */
  private boolean rangesWork = true;

  BlobCursor(PullContext ctx, Descriptor blob, int bufferSize) {
    this.ctx = ctx;
    this.blob = blob;
    // Direct: the socket reads into it without a copy, and copyTo writes files straight from it.
    this.buffer = ByteBuffer.allocateDirect(bufferSize);
    buffer.flip();
  }

  long position() {
    return position;
  }

  boolean rangesWork() {
    return rangesWork;
  }

  /** Bytes already received past the position, waiting in the buffer. */
  int buffered() {
    return buffer.remaining();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!buffer.hasRemaining()) {
      if (position >= blob.size()) {
        return -1;
      }
      fill();
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(b, off, n);
    digest.update(b, off, n);
    position += n;
    return n;
  }

  /**
   * Copies the next {@code size} bytes of the blob into {@code file} from its offset 0, hashing
   * them on the way: straight from the receive buffer, with no copy in between.
   *
   * @throws StorageException {@code DISK} when the file cannot be written
   */
  void copyTo(FileChannel file, long size) throws IOException {
    long written = 0;
    while (written < size) {
      while (!buffer.hasRemaining()) {
        if (position >= blob.size()) {
          throw new EOFException("layer " + blob.digest().shortHex() + " ended inside a member");
        }
        fill();
      }
      int n = (int) Math.min(buffer.remaining(), size - written);
      int at = buffer.position();
      digest.update(buffer.slice(at, n));
      ByteBuffer out = buffer.slice(at, n);
      try {
        while (out.hasRemaining()) {
          file.write(out, written + out.position());
        }
      } catch (IOException e) {
        throw StorageException.disk("Cannot write a layer's file: " + e.getMessage(), e);
      }
      buffer.position(at + n);
      position += n;
      written += n;
    }
  }

  /** Bytes of this blob the caller received by other requests, in order. */
  void hashFetchedElsewhere(ByteBuffer bytes) {
    if (buffer.hasRemaining()) {
      throw new IllegalStateException("buffered bytes must be consumed first");
    }
    position += bytes.remaining();
    digest.update(bytes);
  }

  /** Closes the current request (its connection is not reused); the next read reopens. */
  void dropRequest() {
    buffer.position(buffer.limit());
    HttpResponse r = response;
    response = null;
    if (r != null) {
      r.abort();
      r.close();
      ctx.release();
      ctx.forget(aborter);
    }
  }

  /** Reads what is left of the blob (after the tar's end) and checks the digest. */
  void finish() throws IOException {
    byte[] scratch = new byte[64 * 1024];
    while (read(scratch, 0, scratch.length) >= 0) {
      // Trailing zero blocks, or the rest of a compressed stream.
    }
    dropRequest();
    Digest actual = Digest.of(digest);
    if (!actual.equals(blob.digest())) {
      throw StorageException.integrity(
          "Layer "
              + blob.digest()
              + " of "
              + ctx.repository
              + " does not match its digest: the bytes received hash to "
              + actual);
    }
  }

  /** The blob as a stream, for decompressors (compressed layers have no ranges to skip). */
  InputStream asStream() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return BlobCursor.this.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return BlobCursor.this.read(b, off, len);
      }
    };
  }

  private void fill() throws IOException {
    for (int attempt = 1; ; attempt++) {
      ctx.checkNotFailed();
      try {
        HttpResponse r = response;
        if (r == null) {
          r = open();
        }
        buffer.clear();
        int n = r.read(buffer);
        buffer.flip();
        if (n < 0) {
          throw new EOFException(
              "layer " + blob.digest().shortHex() + " ended at " + position + " of " + blob.size());
        }
        if (n > 0) {
          ctx.fetched(blob.digest(), n);
          return;
        }
        attempt--;
      } catch (IOException e) {
        buffer.position(buffer.limit());
        dropRequest();
        if (ctx.failure() != null) {
          throw new StorageException(
              java.util.Objects.requireNonNull(ctx.failure()).failure(),
              "stopped: another layer failed",
              e);
        }
        if (!RegistryClient.isRetryable(e) || attempt >= ctx.retry.maxAttempts()) {
          // Classified here, so that what reaches the extractor as an IOException is the layer's.
          throw ctx.client.classify(
              e, "fetching layer " + blob.digest().shortHex() + " of " + ctx.repository);
        }
        ctx.retried();
        ctx.pause(attempt);
      }
    }
  }

  private HttpResponse open() throws IOException {
    ctx.acquire();
    ctx.onFailure(aborter);
    HttpResponse r;
    try {
      RegistryClient.BlobBody body =
          ctx.client.openBlob(ctx.repository, blob.digest(), position, blob.size());
      r = body.response();
      if (!body.partial()) {
        rangesWork = false;
        response = r;
        // The whole blob again: skip what was already hashed.
        skipRaw(r, position);
        return r;
      }
    } catch (IOException | RuntimeException e) {
      ctx.forget(aborter);
      ctx.release();
      throw e;
    }
    response = r;
    return r;
  }

  private void skipRaw(HttpResponse r, long n) throws IOException {
    ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
    long left = n;
    while (left > 0) {
      scratch.clear();
      scratch.limit((int) Math.min(scratch.capacity(), left));
      int k = r.read(scratch);
      if (k < 0) {
        throw new EOFException("layer " + blob.digest().shortHex() + " ended early");
      }
      left -= k;
    }
  }

  private void abortQuietly() {
    HttpResponse r = response;
    if (r != null) {
      r.abort();
    }
  }
}
