package io.stowage.oci.pull;

import io.stowage.oci.Digest;
import io.stowage.oci.registry.RegistryClient;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.net.HttpResponse;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Fetches byte ranges of a blob with ranged GETs and writes them at their offsets into a file: the
 * parallel half of extracting a large member. A failed request resumes from the last byte written.
 */
final class PartFetcher {
  private final PullContext ctx;
  private final ExecutorService workers;
  private final ThreadLocal<ByteBuffer> buffers;

  PartFetcher(PullContext ctx, ExecutorService workers) {
    this.ctx = ctx;
    this.workers = workers;
    this.buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(ctx.bufferSize));
  }

  /**
   * Fetches blob bytes {@code [start, end)} into {@code file}, where blob offset {@code base} is
   * the file's first byte. The future completes when the range is on disk.
   */
  CompletableFuture<Void> fetch(Digest blob, FileChannel file, long base, long start, long end) {
    return CompletableFuture.runAsync(() -> run(blob, file, base, start, end), workers);
  }

  private void run(Digest blob, FileChannel file, long base, long start, long end) {
    ByteBuffer buffer = buffers.get();
    long pos = start;
    int attempt = 0;
    while (pos < end) {
      ctx.checkNotFailed();
      long attemptStart = pos;
      ctx.acquire();
      HttpResponse r = null;
      Runnable aborter = null;
      try {
        RegistryClient.BlobBody body = ctx.client.openBlob(ctx.repository, blob, pos, end);
        r = body.response();
        HttpResponse current = r;
        aborter = current::abort;
        ctx.onFailure(aborter);
        if (!body.partial()) {
          throw new StorageException(
              Failure.INTERNAL, "the registry stopped serving ranges of " + blob.shortHex());
        }
        while (pos < end) {
          buffer.clear();
          if (buffer.remaining() > end - pos) {
            buffer.limit((int) (end - pos));
          }
          boolean ended = false;
          while (buffer.hasRemaining()) {
            if (r.read(buffer) < 0) {
              ended = true;
              break;
            }
          }
          buffer.flip();
          int got = buffer.remaining();
          write(file, buffer, pos - base);
          pos += got;
          ctx.fetched(blob, got);
          if (ended && pos < end) {
            throw new EOFException("range of " + blob.shortHex() + " ended early");
          }
        }
      } catch (IOException e) {
        if (ctx.failure() != null) {
          return;
        }
        attempt = pos > attemptStart ? 1 : attempt + 1;
        if (!RegistryClient.isRetryable(e) || attempt >= ctx.retry.maxAttempts()) {
          StorageException failure =
              ctx.client.classify(e, "fetching layer " + blob.shortHex() + " of " + ctx.repository);
          ctx.fail(failure);
          throw failure;
        }
        ctx.retried();
      } finally {
        if (aborter != null) {
          ctx.forget(aborter);
        }
        if (r != null) {
          if (pos < end) {
            r.abort();
          }
          r.close();
        }
        ctx.release();
      }
      if (pos < end) {
        ctx.pause(Math.max(1, attempt));
      }
    }
  }

  private static void write(FileChannel file, ByteBuffer buffer, long at) {
    try {
      long offset = at;
      while (buffer.hasRemaining()) {
        offset += file.write(buffer, offset);
      }
    } catch (IOException e) {
      throw StorageException.disk("Cannot write a layer's file: " + e.getMessage(), e);
    }
  }
}
