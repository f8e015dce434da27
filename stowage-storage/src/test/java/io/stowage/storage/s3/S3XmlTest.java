package io.stowage.storage.s3;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class S3XmlTest {
  @Test
  void aListingWithAMalformedUrlEncodedKeyIsAMalformedResponse() {
    // Found by S3XmlFuzzTest: the decoder's NumberFormatException escaped the parser.
    byte[] xml =
        ("<ListBucketResult><EncodingType>url</EncodingType>"
                + "<Contents><Key>m/a%j.bin</Key><Size>1</Size></Contents></ListBucketResult>")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> S3Xml.listPage(xml))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("malformed ListObjectsV2 response");
  }
}
