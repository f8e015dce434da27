package io.stowage.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed server certificate for 127.0.0.1 and localhost, as a PKCS12 key store and as a PEM
 * file that clients can trust (the way {@code AWS_CA_BUNDLE} or {@code --ca-bundle} would be set in
 * production).
 *
 * <p>The key pair and certificate are made by the JDK's own {@code keytool}, run as a process,
 * because the JDK has no public API for issuing certificates and we want no BouncyCastle. The
 * certificate is its own trust anchor.
 */
public final class TlsMaterial {

  private static final String ALIAS = "stowage-testkit";
  private static final String KEY_STORE_FILE = "server.p12";
  private static final String CERTIFICATE_FILE = "ca.pem";
  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  /**
   * A fixed password is fine for throw-away test keys, and lets a later run (of quickstart, say)
   * reuse the files it finds.
   */
  private static final String PASSWORD = "stowage-testkit";

  private static final Map<Path, TlsMaterial> BY_DIRECTORY = new ConcurrentHashMap<>();

  private final Path keyStore;
  private final Path caCertificatePem;

  private TlsMaterial(Path keyStore, Path caCertificatePem) {
    this.keyStore = keyStore;
    this.caCertificatePem = caCertificatePem;
  }

  /**
   * Creates the key store and certificate in {@code dir}, or reuses what an earlier call (in this
   * JVM or a previous one) put there.
   */
  public static TlsMaterial selfSigned(Path dir) {
    Path key = dir.toAbsolutePath().normalize();
    return BY_DIRECTORY.computeIfAbsent(key, TlsMaterial::loadOrGenerate);
  }

  /** The certificate in PEM form, to be trusted by clients. */
  public Path caCertificatePem() {
    return caCertificatePem;
  }

  /**
   * A PKCS12 key store holding the private key and certificate, protected by {@link #password()}.
   */
  public Path keyStore() {
    return keyStore;
  }

  /** The key store password; a fresh copy each call, since callers may wipe it. */
  public char[] password() {
    return PASSWORD.toCharArray();
  }

  /**
   * The private key in PEM (PKCS#8) form, for servers that are not Java and read {@code tls.key}
   * files (a webhook server, say).
   */
  public String privateKeyPem() {
    try {
      java.security.Key key = loadKeyStore(keyStore).getKey(ALIAS, password());
      String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
      return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the private key from " + keyStore, e);
    }
  }

  /** A server-side context presenting this certificate. */
  public SSLContext serverContext() {
    try {
      KeyManagerFactory keyManagers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(loadKeyStore(keyStore), password());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a server TLS context from " + keyStore, e);
    }
  }

  /** A client-side context that trusts this certificate and nothing else. */
  public SSLContext clientContextTrustingIt() {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry(ALIAS, readCertificate(caCertificatePem));
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "cannot build a client TLS context from " + caCertificatePem, e);
    }
  }

  /** Package-private so tests can check reuse without the per-JVM cache. */
  static TlsMaterial loadOrGenerate(Path dir) {
    Path keyStore = dir.resolve(KEY_STORE_FILE);
    Path certificate = dir.resolve(CERTIFICATE_FILE);
    if (!isUsable(keyStore, certificate)) {
      generate(dir, keyStore, certificate);
    }
    return new TlsMaterial(keyStore, certificate);
  }

  /** Leftovers of an interrupted run must not be trusted: both files have to load. */
  private static boolean isUsable(Path keyStore, Path certificate) {
    if (!Files.isRegularFile(keyStore) || !Files.isRegularFile(certificate)) {
      return false;
    }
    try {
      loadKeyStore(keyStore);
      readCertificate(certificate);
      return true;
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      return false;
    }
  }

  private static void generate(Path dir, Path keyStore, Path certificate) {
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(keyStore);
      Files.deleteIfExists(certificate);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir + " for TLS material", e);
    }
    String keytool = JdkTools.binary("keytool").toString();
    JdkTools.run(
        List.of(
            keytool,
            "-genkeypair",
            "-alias",
            ALIAS,
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-sigalg",
            "SHA256withRSA",
            "-validity",
            "3650",
            "-dname",
            "CN=localhost, O=Stowage testkit",
            "-ext",
            "SAN=IP:127.0.0.1,DNS:localhost",
            "-ext",
            "EKU=serverAuth",
            "-storetype",
            "PKCS12",
            "-keystore",
            keyStore.toString(),
            "-storepass",
            PASSWORD,
            "-keypass",
            PASSWORD,
            "-noprompt"),
        KEYTOOL_TIMEOUT_SECONDS);
    writePem(keyStore, certificate);
  }

  /** In-process rather than a second keytool run: that would cost another JVM start. */
  private static void writePem(Path keyStore, Path pem) {
    try {
      Certificate certificate = loadKeyStore(keyStore).getCertificate(ALIAS);
      String base64 =
          Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded());
      Files.writeString(
          pem,
          "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n",
          StandardCharsets.US_ASCII);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the certificate back from " + keyStore, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + pem, e);
    }
  }

  private static KeyStore loadKeyStore(Path file) throws GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD.toCharArray());
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read key store " + file, e);
    }
  }

  private static Certificate readCertificate(Path pem)
      throws GeneralSecurityException, IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      return CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
