package io.stowage.storage.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The CRCs against their catalogued check values (the CRC of "123456789"). */
class ChecksumDigestTest {
  private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

  private static String hex(Verification.Algorithm a, byte[] content) {
    return HexFormat.of().formatHex(a.newDigest(content.length).digest(content));
  }

  @Test
  void crcsMatchTheirCheckValues() {
    assertThat(hex(Verification.Algorithm.CRC32, CHECK)).isEqualTo("cbf43926");
    assertThat(hex(Verification.Algorithm.CRC32C, CHECK)).isEqualTo("e3069283");
    assertThat(hex(Verification.Algorithm.CRC64NVME, CHECK)).isEqualTo("ae8b14860a799888");
  }

  @Test
  void partDigestsHashEachPartThenTheDigests() throws Exception {
    byte[] content = "abcdefghij".getBytes(StandardCharsets.US_ASCII);
    var md5 = java.security.MessageDigest.getInstance("MD5");
    byte[] parts = new byte[48];
    System.arraycopy(md5.digest("abcd".getBytes(StandardCharsets.US_ASCII)), 0, parts, 0, 16);
    System.arraycopy(md5.digest("efgh".getBytes(StandardCharsets.US_ASCII)), 0, parts, 16, 16);
    System.arraycopy(md5.digest("ij".getBytes(StandardCharsets.US_ASCII)), 0, parts, 32, 16);
    var d = new PartDigests(Verification.Algorithm.MD5, 4);
    d.update(content, 0, 3);
    d.update(content, 3, 7);
    assertThat(d.digest()).isEqualTo(md5.digest(parts));
  }
}
