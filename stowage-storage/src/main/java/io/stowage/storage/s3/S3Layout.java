package io.stowage.storage.s3;

import io.stowage.storage.StorageException;
import io.stowage.storage.transfer.PathFilter;
import io.stowage.storage.transfer.RelativePath;
import io.stowage.storage.transfer.RemoteFile;
import io.stowage.storage.transfer.Verification;
import io.stowage.storage.uri.S3Uri;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where S3 keys land under the destination, as KServe users expect (reference A2), with the
 * deliberate fixes documented in docs/compatibility.md: prefixes match whole path segments only,
 * zero-byte files are kept, and keys that would escape the destination or collide fail the run.
 */
final class S3Layout {
  private S3Layout() {}

  /** The key named exactly by the URI: one file named by its basename; filters do not apply. */
  static RemoteFile singleObject(S3Uri uri, S3Object object, boolean verifyEtag) {
    String key = object.key();
    String basename = key.substring(key.lastIndexOf('/') + 1);
    RelativePath path = RelativePath.fromSource(basename, "key '" + key + "' of " + uri.display());
    return file(path, object, verifyEtag);
  }

  /**
   * The files under {@code prefix} (which is empty or ends with {@code /}): the prefix is stripped,
   * directory markers are skipped, the filter is applied to the relative path.
   */
  static List<RemoteFile> tree(
      S3Uri uri, String prefix, List<S3Object> objects, PathFilter filter, boolean verifyEtag) {
    List<RemoteFile> files = new ArrayList<>();
    Map<RelativePath, String> seen = new HashMap<>();
    for (S3Object o : objects) {
      String key = o.key();
      if (!key.startsWith(prefix) || key.endsWith("/")) {
        continue;
      }
      String relative = key.substring(prefix.length());
      while (relative.startsWith("/")) {
        relative = relative.substring(1);
      }
      if (relative.isEmpty()) {
        continue;
      }
      RelativePath path =
          RelativePath.fromSource(relative, "key '" + key + "' of " + uri.display());
      if (!filter.accepts(path.value())) {
        continue;
      }
      String previous = seen.putIfAbsent(path, key);
      if (previous != null) {
        throw StorageException.unsafe(
            "Keys '"
                + previous
                + "' and '"
                + key
                + "' of "
                + uri.display()
                + " map to the same file "
                + path);
      }
      files.add(file(path, o, verifyEtag));
    }
    rejectFileDirectoryClashes(uri, seen);
    return files;
  }

  private static void rejectFileDirectoryClashes(S3Uri uri, Map<RelativePath, String> seen) {
    for (RelativePath path : seen.keySet()) {
      var parent = path.parent();
      while (parent.isPresent()) {
        String clash = seen.get(parent.get());
        if (clash != null) {
          throw StorageException.unsafe(
              "Key '"
                  + clash
                  + "' of "
                  + uri.display()
                  + " is a file but key '"
                  + seen.get(path)
                  + "' needs a directory of that name");
        }
        parent = parent.get().parent();
      }
    }
  }

  private static RemoteFile file(RelativePath path, S3Object o, boolean verifyEtag) {
    // Without an ETag no range can be told apart from a newer version's: one stream then.
    return new RemoteFile(
        path, o.size(), o.etag(), verification(o, verifyEtag), o.key(), !o.etag().isEmpty());
  }

  /**
   * A single-part ETag is the MD5 of the content; a multipart ETag ({@code <md5 of part md5s>-N})
   * is not, so only the size can be checked against it (and {@code If-Match} keeps parts of one
   * version together).
   */
  static Verification verification(S3Object o, boolean verifyEtag) {
    String etag = unquote(o.etag()).toLowerCase(Locale.ROOT);
    if (!verifyEtag) {
      return new Verification.SizeOnly("ETag verification switched off (STOWAGE_S3_VERIFY_ETAG)");
    }
    if (etag.matches("[0-9a-f]{32}")) {
      return new Verification.Digest(
          Verification.Algorithm.MD5,
          etag,
          "the object's ETag",
          "if this store's ETags are not content MD5s, set STOWAGE_S3_VERIFY_ETAG=false");
    }
    if (etag.matches("[0-9a-f]{32}-[0-9]+")) {
      int parts = Integer.parseInt(etag.substring(33));
      if (parts < 1 || parts > 10_000) {
        return new Verification.SizeOnly("multipart ETag with an impossible part count " + parts);
      }
      return new Verification.SizeOnly("multipart ETag (" + parts + " parts)");
    }
    return new Verification.SizeOnly("ETag is not an MD5 digest");
  }

  static String unquote(String etag) {
    String e = etag.strip();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
      e = e.substring(1, e.length() - 1);
    }
    return e;
  }
}
