package io.stowage.oci.pull;

import com.github.luben.zstd.ZstdInputStream;
import io.stowage.oci.Descriptor;
import io.stowage.oci.MediaTypes;
import io.stowage.oci.MediaTypes.Compression;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.archive.ArchiveLimits;
import io.stowage.storage.archive.ExpansionMeter;
import io.stowage.storage.transfer.RelativePath;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Extracts one layer in a single pass: the tar is read front to back from the registry, members
 * outside {@code /models} are read past (their bytes still count for the digest), members are
 * copied as they stream by, and, when fewer layers than connections are left, the data of large
 * members in uncompressed layers is fetched by parallel ranged GETs straight into the member's file
 * while this thread hashes the parts back in order. The layer's digest is checked before the caller
 * may use the stage.
 *
 * <p>A layer is held to the same {@link ArchiveLimits} as an archive: members, and decompressed
 * bytes in total and per byte of the layer as stored. A member whose header declares too much is
 * refused before any of its bytes are written; a compressed stream is counted as it decompresses,
 * whatever the bytes are (members outside {@code /models}, data after the tar's end).
 */
final class LayerPuller {
  private static final int COPY_BUFFER = 256 * 1024;
  private static final int HASH_BUFFER = 1024 * 1024;

  private final PullContext ctx;
  private final PartFetcher parts;
  private final Descriptor layer;
  private final LayerStage stage;
  private final ExpansionMeter meter;
  private final byte[] copy = new byte[COPY_BUFFER];
  private @Nullable ByteBuffer readBack;

  /** The member whose bytes are being read, null before the first and after the last. */
  private @Nullable String member;

  LayerPuller(
      PullContext ctx,
      PartFetcher parts,
      Descriptor layer,
      LayerStage stage,
      ArchiveLimits limits) {
    this.ctx = ctx;
    this.parts = parts;
    this.layer = layer;
    this.stage = stage;
    this.meter = new ExpansionMeter("layer " + layer.digest(), layer.size(), limits);
  }

  /** Pulls and extracts the layer into its stage; classified failures only. */
  void run() {
    Compression compression =
        MediaTypes.layerCompression(layer.mediaType())
            .orElseThrow(
                () ->
                    StorageException.usage(
                        "Layer "
                            + layer.digest()
                            + " has media type "
                            + layer.mediaType()
                            + ", which is not a tar layer Stowage can extract"));
    BlobCursor cursor = new BlobCursor(ctx, layer, COPY_BUFFER);
    try {
      stage.ensureRoot();
      LayerInput input =
          compression == Compression.NONE ? cursor : decompressed(compression, cursor);
      TarParser tar = new TarParser(input);
      for (TarMember m = tar.next(); m != null; m = tar.next()) {
        ctx.checkNotFailed();
        meter.entry(m.name());
        meter.declared(m.name(), m.dataSize());
        member = m.name();
        extract(m, input, cursor, compression);
        tar.dataConsumed(m.dataSize());
      }
      member = null;
      if (input != cursor) {
        // The compressed stream's own checks (CRC, frame checksums) run at its end.
        while (input.read(copy, 0, copy.length) >= 0) {
          // Data after the end of the archive.
        }
      }
      cursor.finish();
    } catch (StorageException e) {
      throw e;
    } catch (IOException e) {
      if (ctx.failure() != null) {
        throw new StorageException(Failure.INTERNAL, "stopped: another layer failed", e);
      }
      throw StorageException.integrity(
          "Layer "
              + layer.digest()
              + " of "
              + ctx.repository
              + " is not a valid "
              + compression.label()
              + " tar: "
              + e.getMessage());
    } finally {
      cursor.dropRequest();
    }
  }

  private LayerInput decompressed(Compression c, BlobCursor cursor) throws IOException {
    InputStream raw = new BufferedInputStream(cursor.asStream(), COPY_BUFFER);
    InputStream in;
    try {
      in =
          c == Compression.GZIP
              ? GzipCompressorInputStream.builder()
                  .setInputStream(raw)
                  .setDecompressConcatenated(true)
                  .get()
              : new ZstdInputStream(raw);
    } catch (LinkageError e) {
      throw new StorageException(
          Failure.INTERNAL,
          "Cannot decompress zstd: the zstd-jni native library did not load (" + e + ")",
          e);
    }
    InputStream data = new BufferedInputStream(in, COPY_BUFFER);
    return (b, off, len) -> {
      int n = data.read(b, off, len);
      if (n > 0) {
        meter.expanded(member, n);
      }
      return n;
    };
  }

  private void extract(TarMember m, LayerInput input, BlobCursor cursor, Compression c)
      throws IOException {
    LayerStage.Placement where = LayerStage.place(m.name());
    if (where instanceof LayerStage.Outside) {
      input.skip(m.dataSize());
      return;
    }
    if (where instanceof LayerStage.ModelsWhiteout) {
      stage.marker(java.util.Optional.empty(), LayerStage.OPAQUE);
      input.skip(m.dataSize());
      return;
    }
    if (where instanceof LayerStage.ModelsRoot) {
      if (!m.isDirectory()) {
        throw LayerStage.unsafe(m.name(), "/models must be a directory");
      }
      return;
    }
    RelativePath p = ((LayerStage.Inside) where).path();
    String name = p.fileName();
    if (name.startsWith(LayerStage.WHITEOUT)) {
      stage.marker(p.parent(), name);
      input.skip(m.dataSize());
      return;
    }
    if (m.isSpecial()) {
      throw LayerStage.unsafe(m.name(), "device files and FIFOs are not allowed under /models");
    }
    if (m.isDirectory()) {
      stage.directory(p);
    } else if (m.isSymlink()) {
      stage.symlink(p, m.linkName(), m.name());
    } else if (m.isHardLink()) {
      stage.hardLink(p, m.linkName(), m.name());
    } else {
      writeFile(p, m, input, cursor, c);
    }
  }

  private void writeFile(
      RelativePath p, TarMember m, LayerInput input, BlobCursor cursor, Compression c)
      throws IOException {
    try (FileChannel ch = stage.createFile(p)) {
      if (c == Compression.NONE
          && cursor.rangesWork()
          && m.size() >= 2 * ctx.partSize
          && ctx.partsHelp()) {
        fetchInParts(ch, m.size(), cursor);
      } else if (c == Compression.NONE) {
        cursor.copyTo(ch, m.size());
      } else {
        long written = 0;
        while (written < m.size()) {
          int n = input.read(copy, 0, (int) Math.min(copy.length, m.size() - written));
          if (n < 0) {
            throw new java.io.EOFException("layer ended inside member " + m.name());
          }
          write(ch, ByteBuffer.wrap(copy, 0, n), written);
          written += n;
        }
      }
    }
    stage.finishFile(p, m.mode());
  }

  /**
   * The member's data: what the cursor already holds is written first, the rest is fetched in parts
   * by the workers while this thread hashes the parts in order as they complete.
   */
  private void fetchInParts(FileChannel ch, long size, BlobCursor cursor) throws IOException {
    long dataStart = cursor.position();
    int held = (int) Math.min(cursor.buffered(), size);
    long have = 0;
    while (have < held) {
      int n = cursor.read(copy, 0, (int) Math.min(copy.length, held - have));
      write(ch, ByteBuffer.wrap(copy, 0, n), have);
      have += n;
    }
    cursor.dropRequest();
    List<long[]> ranges = new ArrayList<>();
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (long s = dataStart + have; s < dataStart + size; s += ctx.partSize) {
      long e = Math.min(dataStart + size, s + ctx.partSize);
      ranges.add(new long[] {s, e});
      futures.add(parts.fetch(layer.digest(), ch, dataStart, s, e));
    }
    ByteBuffer hash = readBack();
    for (int i = 0; i < futures.size(); i++) {
      await(futures.get(i));
      long s = ranges.get(i)[0];
      long e = ranges.get(i)[1];
      for (long pos = s; pos < e; ) {
        int want = (int) Math.min(hash.capacity(), e - pos);
        hash.clear().limit(want);
        while (hash.hasRemaining()) {
          int n = ch.read(hash, pos - dataStart + hash.position());
          if (n < 0) {
            throw StorageException.disk("A layer's file shrank while it was verified", null);
          }
        }
        cursor.hashFetchedElsewhere(hash.flip());
        pos += want;
      }
    }
  }

  /** Direct, so that the file channel fills it without a copy of its own; one per layer. */
  private ByteBuffer readBack() {
    ByteBuffer b = readBack;
    if (b == null) {
      b = ByteBuffer.allocateDirect(HASH_BUFFER);
      readBack = b;
    }
    return b;
  }

  private void await(CompletableFuture<Void> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      StorageException se =
          cause instanceof StorageException s
              ? s
              : new StorageException(
                  Failure.INTERNAL, "Internal error fetching a part: " + cause, cause);
      ctx.fail(se);
      throw se;
    }
  }

  private static void write(FileChannel ch, ByteBuffer b, long at) {
    try {
      long offset = at;
      while (b.hasRemaining()) {
        offset += ch.write(b, offset);
      }
    } catch (IOException e) {
      throw StorageException.disk("Cannot write a layer's file: " + e.getMessage(), e);
    }
  }
}
