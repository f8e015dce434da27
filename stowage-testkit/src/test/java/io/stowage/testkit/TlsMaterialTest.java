package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {

  /** Shared: each generation runs keytool, which costs a JVM start. */
  @TempDir static Path dir;

  @Test
  void makesAKeyStoreAndAPemCertificateForLoopback() throws Exception {
    TlsMaterial tls = TlsMaterial.selfSigned(dir);

    assertThat(tls.keyStore()).isRegularFile().startsWith(dir);
    assertThat(Files.readString(tls.caCertificatePem())).startsWith("-----BEGIN CERTIFICATE-----");
    X509Certificate certificate;
    try (InputStream in = Files.newInputStream(tls.caCertificatePem())) {
      certificate =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    assertThat(certificate.getSubjectAlternativeNames())
        .contains(List.of(7, "127.0.0.1"), List.of(2, "localhost"));
    assertThat(tls.serverContext()).isNotNull();
    assertThat(tls.clientContextTrustingIt()).isNotNull();
  }

  @Test
  void isCachedByDirectory() {
    TlsMaterial first = TlsMaterial.selfSigned(dir);

    assertThat(TlsMaterial.selfSigned(dir.resolve(".").resolve("sub/.."))).isSameAs(first);
  }

  @Test
  void reusesFilesAnEarlierRunLeftBehind() throws Exception {
    TlsMaterial first = TlsMaterial.selfSigned(dir);
    byte[] keyStore = Files.readAllBytes(first.keyStore());

    TlsMaterial again = TlsMaterial.loadOrGenerate(dir);

    assertThat(again).isNotSameAs(first);
    assertThat(Files.readAllBytes(again.keyStore())).isEqualTo(keyStore);
  }

  @Test
  void passwordIsACopy() {
    TlsMaterial tls = TlsMaterial.selfSigned(dir);
    char[] password = tls.password();
    java.util.Arrays.fill(password, 'x');

    assertThat(tls.password()).isNotEqualTo(password);
  }
}
