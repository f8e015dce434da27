package io.stowage.storage.net;

import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Which TLS implementation carries the bytes. Conscrypt (BoringSSL) decrypts about twice as fast
 * per stream as the JDK's JSSE on the machines measured; it needs its native library, which it
 * unpacks into {@code java.io.tmpdir}. When that fails, or the settings ask for it ({@code
 * STOWAGE_TLS_PROVIDER=jdk}, read by the settings layer into {@link TlsSettings}), the JDK's own
 * TLS is used. Conscrypt is probed once per process, when first needed.
 */
final class TlsProvider {
  private static volatile @Nullable Provider conscrypt;
  private static volatile boolean probed;

  private TlsProvider() {}

  static SSLContext newContext(boolean jdk) throws GeneralSecurityException {
    Provider p = jdk ? null : conscrypt();
    return p != null ? SSLContext.getInstance("TLS", p) : SSLContext.getInstance("TLS");
  }

  /** The name of the implementation in use, for logs. */
  static String name(boolean jdk) {
    return !jdk && conscrypt() != null ? "Conscrypt" : "JDK";
  }

  private static @Nullable Provider conscrypt() {
    if (!probed) {
      synchronized (TlsProvider.class) {
        if (!probed) {
          conscrypt = load();
          probed = true;
        }
      }
    }
    return conscrypt;
  }

  private static @Nullable Provider load() {
    try {
      if (!org.conscrypt.Conscrypt.isAvailable()) {
        return null;
      }
      return org.conscrypt.Conscrypt.newProvider();
    } catch (LinkageError | RuntimeException e) {
      return null;
    }
  }
}
