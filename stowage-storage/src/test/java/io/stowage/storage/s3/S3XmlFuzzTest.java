package io.stowage.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * The S3 XML parsers (ListObjectsV2 pages, multipart records, error documents): any body is parsed
 * or refused with an IOException; an error document always yields a code and a message, and no
 * external entity or DTD is ever resolved. Corpus in {@code S3XmlFuzzTestInputs}.
 */
class S3XmlFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void anyBodyParsesOrFailsAsIoException(byte[] xml) {
    try {
      S3Xml.ListPage page = S3Xml.listPage(xml);
      assertThat(page.objects()).doesNotContainNull();
    } catch (IOException e) {
      // Reported as a malformed S3 response.
    }
    try {
      S3Xml.records(xml, "Upload");
    } catch (IOException e) {
      // Same.
    }
    S3Xml.isError(xml);
    S3Xml.ErrorDocument error = S3Xml.error(xml);
    assertThat(error.code()).isNotNull();
    assertThat(error.message()).isNotNull();
  }
}
