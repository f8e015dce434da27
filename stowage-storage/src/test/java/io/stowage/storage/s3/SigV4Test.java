package io.stowage.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Vectors from the S3 API reference, "Signature calculations for the Authorization header". */
class SigV4Test {
  private static final S3Credentials EXAMPLE =
      new S3Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null);
  private static final Instant WHEN = Instant.parse("2013-05-24T00:00:00Z");

  @Test
  void signsGetObjectWithRangeAsTheReferenceExample() {
    Map<String, String> headers =
        new SigV4("us-east-1", "s3")
            .sign(
                "GET",
                "/test.txt",
                "",
                "examplebucket.s3.amazonaws.com",
                Map.of("Range", "bytes=0-9"),
                EXAMPLE,
                WHEN);
    assertThat(headers.get("Authorization"))
        .isEqualTo(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + " SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                + " Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    assertThat(headers).containsEntry("x-amz-date", "20130524T000000Z");
  }

  @Test
  void signsListObjectsAsTheReferenceExample() {
    Map<String, String> headers =
        new SigV4("us-east-1", "s3")
            .sign(
                "GET",
                "/",
                "max-keys=2&prefix=J",
                "examplebucket.s3.amazonaws.com",
                Map.of(),
                EXAMPLE,
                WHEN);
    assertThat(headers.get("Authorization"))
        .endsWith("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
  }

  @Test
  void signsTheSessionTokenWhenThereIsOne() {
    S3Credentials withToken = new S3Credentials("AKID", "secret", "the-token");
    Map<String, String> headers =
        new SigV4("eu-west-1", "s3").sign("GET", "/b/k", "", "h:9000", Map.of(), withToken, WHEN);
    assertThat(headers).containsEntry("x-amz-security-token", "the-token");
    assertThat(headers.get("Authorization"))
        .contains("/20130524/eu-west-1/s3/aws4_request")
        .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
  }

  @Test
  void signedHeaderValuesAreCanonicalWithInnerSpacesCollapsed() {
    // Found by SigV4FuzzTest against the AWS SDK's signer: SigV4's canonical header value is
    // trimmed and has sequential spaces collapsed into one; S3 computes it so.
    SigV4 signer = new SigV4("us-east-1", "s3");
    String spaced =
        signer
            .sign("GET", "/b/k", "", "h", Map.of("x-amz-meta-a", " a   b  c "), EXAMPLE, WHEN)
            .get("Authorization");
    String single =
        signer
            .sign("GET", "/b/k", "", "h", Map.of("x-amz-meta-a", "a b c"), EXAMPLE, WHEN)
            .get("Authorization");
    assertThat(spaced).isEqualTo(single);
  }

  @Test
  void credentialsNeverShowSecretsInToString() {
    S3Credentials c = new S3Credentials("AKIDVISIBLE", "very-secret", "tok-secret");
    assertThat(c.toString())
        .doesNotContain("very-secret")
        .doesNotContain("tok-secret")
        .doesNotContain("AKIDVISIBLE");
  }
}
