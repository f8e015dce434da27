package io.stowage.storage.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * How server certificates are checked: the system's trusted roots plus any PEM bundles given, or no
 * check at all when verification is switched off ({@code S3_VERIFY_SSL=0}).
 */
public final class TlsSettings {
  private final boolean verify;
  private final List<Path> caBundles;
  private final boolean jdkTls;
  private @Nullable SSLContext context;

  /** Verifying against the system's roots and {@code caBundles}, over Conscrypt when it loads. */
  public TlsSettings(boolean verify, List<Path> caBundles) {
    this(verify, caBundles, false);
  }

  /**
   * @param jdkTls the JDK's own TLS even where Conscrypt loads ({@code STOWAGE_TLS_PROVIDER=jdk})
   */
  public TlsSettings(boolean verify, List<Path> caBundles, boolean jdkTls) {
    this.verify = verify;
    this.caBundles = List.copyOf(caBundles);
    this.jdkTls = jdkTls;
  }

  public static TlsSettings system() {
    return new TlsSettings(true, List.of());
  }

  public boolean verify() {
    return verify;
  }

  public List<Path> caBundles() {
    return caBundles;
  }

  public boolean jdkTls() {
    return jdkTls;
  }

  /** The context for client sockets, built once. */
  public synchronized SSLContext context() throws GeneralSecurityException, IOException {
    SSLContext ctx = context;
    if (ctx == null) {
      ctx = TlsProvider.newContext(jdkTls);
      ctx.init(null, new TrustManager[] {trustManager()}, null);
      context = ctx;
    }
    return ctx;
  }

  private X509TrustManager trustManager() throws GeneralSecurityException, IOException {
    if (!verify) {
      return new TrustEverything();
    }
    X509TrustManager system = defaultTrustManager(null);
    if (caBundles.isEmpty()) {
      return system;
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int n = 0;
    for (X509Certificate root : system.getAcceptedIssuers()) {
      store.setCertificateEntry("system-" + n++, root);
    }
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    for (Path bundle : caBundles) {
      Collection<? extends Certificate> certs;
      try (InputStream in = Files.newInputStream(bundle)) {
        certs = factory.generateCertificates(in);
      }
      if (certs.isEmpty()) {
        throw new GeneralSecurityException("no PEM certificate found in " + bundle);
      }
      for (Certificate cert : certs) {
        store.setCertificateEntry("bundle-" + n++, cert);
      }
    }
    return defaultTrustManager(store);
  }

  private static X509TrustManager defaultTrustManager(@Nullable KeyStore store)
      throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager available");
  }

  /** Verification switched off by the user: any certificate is accepted. */
  private static final class TrustEverything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
