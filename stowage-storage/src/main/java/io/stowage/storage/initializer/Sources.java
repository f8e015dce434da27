package io.stowage.storage.initializer;

import io.stowage.storage.StorageException;
import io.stowage.storage.hf.HuggingFaceSource;
import io.stowage.storage.http.HttpSource;
import io.stowage.storage.net.HttpClient;
import io.stowage.storage.s3.S3Source;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.transfer.Source;
import io.stowage.storage.uri.HttpUri;
import io.stowage.storage.uri.HuggingFaceUri;
import io.stowage.storage.uri.S3Uri;
import io.stowage.storage.uri.StorageUri;
import org.jspecify.annotations.Nullable;

/**
 * The remote sources of the URIs the initializer supports, sharing one HTTP client per trust domain
 * (S3's TLS settings are not the web's), each created on first use.
 */
public final class Sources implements AutoCloseable {
  private final InitializerSettings settings;
  private @Nullable HttpClient s3;
  private @Nullable HttpClient web;

  public Sources(InitializerSettings settings) {
    this.settings = settings;
  }

  /** True for URIs fetched over the network, false for local paths and PVCs. */
  public static boolean isRemote(StorageUri uri) {
    return uri instanceof S3Uri || uri instanceof HttpUri || uri instanceof HuggingFaceUri;
  }

  /**
   * The source of a remote URI.
   *
   * @throws StorageException (usage) for a local path or PVC, which have no remote listing
   */
  public Source open(StorageUri uri) {
    if (uri instanceof S3Uri s3Uri) {
      return new S3Source(
          s3Uri, settings.s3(), s3(), settings.filter(), settings.transfer().retry());
    }
    if (uri instanceof HttpUri http) {
      return new HttpSource(http, web(), settings.hostHeaders(), settings.transfer().retry());
    }
    if (uri instanceof HuggingFaceUri hf) {
      return new HuggingFaceSource(
          hf, settings.huggingFace(), web(), settings.filter(), settings.transfer().retry());
    }
    throw StorageException.usage(
        uri.display() + " is a local path, not a remote source: use s3://, https://, or hf://");
  }

  private synchronized HttpClient s3() {
    HttpClient c = s3;
    if (c == null) {
      c = new HttpClient(settings.net());
      s3 = c;
    }
    return c;
  }

  private synchronized HttpClient web() {
    HttpClient c = web;
    if (c == null) {
      c = new HttpClient(settings.httpNet());
      web = c;
    }
    return c;
  }

  @Override
  public synchronized void close() {
    if (s3 != null) {
      s3.close();
    }
    if (web != null) {
      web.close();
    }
  }
}
