package io.stowage.serving.storage;

import io.stowage.common.ImageName;
import io.stowage.common.ObjectKeys;
import io.stowage.common.UriRedaction;
import java.util.regex.Pattern;

/**
 * The per-scheme checks behind {@link ModelUri#parse}. Messages quote the URI, and the part of it
 * they are about, only as {@link UriRedaction} shows them: the message becomes a status condition
 * and an event.
 */
final class UriParsers {
  private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private UriParsers() {}

  static ModelUri.S3 s3(String uri) throws ModelUri.InvalidUriException {
    String shown = redact(uri);
    String rest = uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new ModelUri.InvalidUriException(
          "\"" + shown + "\" names no bucket: write s3://<bucket>[/<prefix>]");
    }
    if (!BUCKET.matcher(bucket).matches()) {
      throw new ModelUri.InvalidUriException(
          "bucket \""
              + part("s3://", bucket)
              + "\" in \""
              + shown
              + "\" is not a bucket name: use letters, digits, '.', '-' and '_'");
    }
    // The initializer's rule (stowage-common): refused here, not by a Pod that fails later.
    String problem = ObjectKeys.problem(key);
    if (problem != null) {
      throw new ModelUri.InvalidUriException(
          "\"" + shown + "\" has " + problem + " in its key: write s3://<bucket>/<prefix>");
    }
    return new ModelUri.S3(uri, bucket, key);
  }

  /** KServe's {@code ParsePvcURI}: the first segment is the claim, the rest the path. */
  static ModelUri.Pvc pvc(String uri) throws ModelUri.InvalidUriException {
    String shown = redact(uri);
    String rest = uri.substring("pvc://".length());
    int slash = rest.indexOf('/');
    String claim = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    if (claim.isEmpty()) {
      throw new ModelUri.InvalidUriException(
          "\"" + shown + "\" names no PersistentVolumeClaim: write pvc://<claim>[/<path>]");
    }
    if (claim.length() > 253 || !ModelUri.DNS_SUBDOMAIN.matcher(claim).matches()) {
      throw new ModelUri.InvalidUriException(
          "\""
              + part("pvc://", claim)
              + "\" in \""
              + shown
              + "\" is not a PersistentVolumeClaim name: lower-case letters, digits, '-' and '.',"
              + " starting and ending with a letter or digit");
    }
    if (path.startsWith("/")) {
      throw new ModelUri.InvalidUriException(
          "the path in \"" + shown + "\" starts with '/': a volume sub-path must be relative");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        throw new ModelUri.InvalidUriException(
            "the path in \"" + shown + "\" contains '..': a volume sub-path must stay inside it");
      }
    }
    return new ModelUri.Pvc(uri, claim, path);
  }

  static ModelUri.Oci oci(String uri, int prefixLength, boolean nativeScheme)
      throws ModelUri.InvalidUriException {
    String image = uri.substring(prefixLength);
    String shown = redact(uri);
    if (image.isEmpty()) {
      throw new ModelUri.InvalidUriException(
          "\"" + shown + "\" names no image: write oci://<registry>/<repository>:<tag>");
    }
    try {
      // The grammar the initializer and the model tools use too (stowage-common).
      ImageName.parse(image);
    } catch (IllegalArgumentException e) {
      throw new ModelUri.InvalidUriException(
          "\""
              + part(uri.substring(0, prefixLength), image)
              + "\" in \""
              + shown
              + "\" is not an image reference: write <registry>/<repository>[:<tag>][@<digest>],"
              + " with a lower-case repository",
          e);
    }
    return new ModelUri.Oci(uri, image, nativeScheme);
  }

  /** The URI as it may be shown. */
  static String redact(String uri) {
    return UriRedaction.redact(uri);
  }

  /** A part of a URI right after {@code scheme} (a bucket, a claim), as it may be shown. */
  private static String part(String scheme, String part) {
    return UriRedaction.redact(scheme + part).substring(scheme.length());
  }
}
