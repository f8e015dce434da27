package io.stowage.storage.net;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** Turns a transport failure into one line that says what to fix, for any source. */
public final class TransportFailures {
  private TransportFailures() {}

  /** Retrying cannot fix a refused certificate, a refusing proxy or a TLS/plain mismatch. */
  public static boolean isPermanent(IOException e) {
    return e instanceof SSLHandshakeException
        || e instanceof ProxyAuthenticationException
        || e instanceof UnsafeLocationException
        || (e instanceof SSLException && plaintextToTls(e));
  }

  /**
   * Classifies a transport failure that outlived its retries.
   *
   * @param where what was being talked to, e.g. {@code "S3 endpoint http://minio:9000"}
   * @param doing what was being done, e.g. {@code "listing s3://models/llm"}
   */
  public static StorageException classify(
      IOException e, String where, String doing, TransportHints hints) {
    if (e instanceof UnsafeLocationException) {
      return new StorageException(Failure.UNSAFE_SOURCE, e.getMessage() + " while " + doing, e);
    }
    if (e instanceof UnknownHostException) {
      return network(
          "Cannot resolve the host of " + where + " while " + doing + ": check " + hints.endpoint(),
          e);
    }
    if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
      return network(
          "Cannot connect to "
              + where
              + " ("
              + e.getMessage()
              + ") while "
              + doing
              + ": check the host and port ("
              + hints.endpoint()
              + ") and that the server is running",
          e);
    }
    if (e instanceof StallException) {
      return network(
          where
              + " stopped sending data while "
              + doing
              + ": "
              + e.getMessage()
              + " ("
              + hints.readTimeout()
              + "), retries exhausted",
          e);
    }
    if (e instanceof SocketTimeoutException) {
      return network(
          "Timed out connecting to "
              + where
              + " while "
              + doing
              + " ("
              + hints.connectTimeout()
              + ")",
          e);
    }
    if (e instanceof SSLException ssl) {
      return tls(ssl, where, doing, hints);
    }
    if (e instanceof ProxyAuthenticationException) {
      return network(e.getMessage() + " while " + doing, e);
    }
    if (e instanceof EOFException
        || String.valueOf(e.getMessage()).startsWith("malformed status")) {
      return network(
          where
              + " closed the connection or answered with something other than HTTP while "
              + doing
              + " ("
              + e.getMessage()
              + "); if the server uses TLS, "
              + hints.switchToTls(),
          e);
    }
    return network(
        "Network error talking to " + where + " while " + doing + ": " + e.getMessage(), e);
  }

  private static StorageException tls(
      SSLException e, String where, String doing, TransportHints hints) {
    if (plaintextToTls(e)) {
      return network(where + " does not speak TLS: " + hints.switchToPlain(), e);
    }
    Throwable root = e;
    boolean certificate = false;
    while (root.getCause() != null) {
      root = root.getCause();
      certificate |= root instanceof CertificateException;
    }
    if (certificate || e instanceof SSLHandshakeException) {
      return network(
          "The TLS certificate of "
              + where
              + " is not trusted ("
              + root.getMessage()
              + "): "
              + hints.trust(),
          e);
    }
    return network("TLS error talking to " + where + " while " + doing + ": " + e.getMessage(), e);
  }

  private static boolean plaintextToTls(IOException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    // JSSE and Conscrypt (BoringSSL) word it differently.
    return m.contains("unrecognized ssl message")
        || m.contains("plaintext connection")
        || m.contains("unable to parse tls packet header")
        || m.contains("wrong_version_number")
        || m.contains("wrong version number");
  }

  private static StorageException network(String message, IOException cause) {
    return new StorageException(Failure.NETWORK, message, cause);
  }
}
