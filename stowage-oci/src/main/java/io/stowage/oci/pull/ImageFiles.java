package io.stowage.oci.pull;

import com.github.luben.zstd.ZstdInputStream;
import io.stowage.oci.Descriptor;
import io.stowage.oci.Digest;
import io.stowage.oci.ImageReference;
import io.stowage.oci.MediaTypes;
import io.stowage.oci.MediaTypes.Compression;
import io.stowage.oci.registry.Registries;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.transfer.RelativePath;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The SHA-256 of every file an image puts under {@code /models}, computed from the registry's
 * layers (each verified against its digest while it streams), nothing written to disk: what {@code
 * stowage verify} compares a materialized model with.
 */
public final class ImageFiles {
  private ImageFiles() {}

  /** Files of the merged image (whiteouts applied), by path under {@code /models}. */
  public static Map<RelativePath, Digest> digests(
      Registries registries, PullOptions options, ImageReference ref) {
    Puller.ResolvedImage image = new Puller(registries, options, line -> {}).resolve(ref);
    List<Descriptor> layers = image.manifest().layers();
    PullContext ctx =
        new PullContext(
            registries.client(ref.registry()),
            ref.repository(),
            options.retry(),
            options.concurrency(),
            options.partSize(),
            256 * 1024);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(layers.size(), options.concurrency())),
            r -> {
              Thread t = new Thread(r, "stowage-verify");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<LayerFiles>> futures = new ArrayList<>();
      for (Descriptor l : layers) {
        futures.add(pool.submit(() -> layer(ctx, l)));
      }
      NavigableMap<String, Digest> merged = new TreeMap<>();
      for (Future<LayerFiles> f : futures) {
        LayerFiles lf = get(f);
        for (String w : lf.whiteouts()) {
          if (w.endsWith("/" + LayerStage.OPAQUE) || w.equals(LayerStage.OPAQUE)) {
            String dir = w.equals(LayerStage.OPAQUE) ? "" : w.substring(0, w.lastIndexOf('/'));
            if (dir.isEmpty()) {
              merged.clear();
            } else {
              merged.subMap(dir + "/", true, dir + "/\uffff", true).clear();
            }
          } else {
            int slash = w.lastIndexOf('/');
            String victim =
                (slash < 0 ? "" : w.substring(0, slash + 1))
                    + w.substring(slash + 1 + LayerStage.WHITEOUT.length());
            merged.remove(victim);
            merged.subMap(victim + "/", true, victim + "/\uffff", true).clear();
          }
        }
        merged.putAll(lf.files());
      }
      Map<RelativePath, Digest> out = new TreeMap<>();
      merged.forEach((k, v) -> out.put(new RelativePath(k), v));
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private record LayerFiles(Map<String, Digest> files, List<String> whiteouts) {}

  private static LayerFiles layer(PullContext ctx, Descriptor l) throws IOException {
    Compression c =
        MediaTypes.layerCompression(l.mediaType())
            .orElseThrow(
                () -> StorageException.usage("Layer type " + l.mediaType() + " is not a tar"));
    BlobCursor cursor = new BlobCursor(ctx, l, 256 * 1024);
    Map<String, Digest> files = new TreeMap<>();
    List<String> whiteouts = new ArrayList<>();
    try {
      InputStream raw = new BufferedInputStream(cursor.asStream(), 256 * 1024);
      LayerInput input =
          switch (c) {
            case NONE -> cursor;
            case GZIP -> {
              InputStream g =
                  GzipCompressorInputStream.builder()
                      .setInputStream(raw)
                      .setDecompressConcatenated(true)
                      .get();
              yield g::read;
            }
            case ZSTD -> {
              InputStream z = new ZstdInputStream(raw);
              yield z::read;
            }
          };
      TarParser tar = new TarParser(input);
      byte[] buffer = new byte[256 * 1024];
      for (TarMember m = tar.next(); m != null; m = tar.next()) {
        LayerStage.Placement where = LayerStage.place(m.name());
        if (where instanceof LayerStage.ModelsWhiteout) {
          whiteouts.add(LayerStage.OPAQUE);
        } else if (where instanceof LayerStage.Inside inside) {
          String p = inside.path().value();
          if (inside.path().fileName().startsWith(LayerStage.WHITEOUT)) {
            whiteouts.add(p);
          } else if (m.isRegular()) {
            MessageDigest md = Digest.sha256();
            long left = m.size();
            while (left > 0) {
              int n = input.read(buffer, 0, (int) Math.min(buffer.length, left));
              if (n < 0) {
                throw new java.io.EOFException("layer ended inside " + m.name());
              }
              md.update(buffer, 0, n);
              left -= n;
            }
            files.put(p, Digest.of(md));
            tar.dataConsumed(m.dataSize());
            continue;
          } else {
            files.remove(p);
          }
        }
        input.skip(m.dataSize());
        tar.dataConsumed(m.dataSize());
      }
      if (input != cursor) {
        while (input.read(buffer, 0, buffer.length) >= 0) {
          // The compressed stream's checks run at its end.
        }
      }
      cursor.finish();
      return new LayerFiles(files, whiteouts);
    } finally {
      cursor.dropRequest();
    }
  }

  private static LayerFiles get(Future<LayerFiles> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StorageException se) {
        throw se;
      }
      throw StorageException.integrity("A layer could not be read: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(Failure.INTERNAL, "Interrupted", e);
    }
  }
}
