package io.stowage.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.stowage.storage.net.PercentEncoding;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * SigV4 canonicalisation against a reference: for any key, query and signed header value, the
 * Authorization header Stowage computes (with its own percent-encoding, canonical query and
 * canonical headers) equals the AWS SDK's signer's for the same request. A difference is a request
 * S3 would refuse with SignatureDoesNotMatch. Corpus in {@code SigV4FuzzTestInputs}.
 */
class SigV4FuzzTest {
  private static final Instant WHEN = Instant.parse("2026-01-01T00:00:00Z");
  private static final String ACCESS_KEY = "AKIDFUZZ";
  private static final String SECRET_KEY = "secret/fuzz+key";
  private static final AwsV4HttpSigner REFERENCE = AwsV4HttpSigner.create();

  @FuzzTest(maxDuration = "20s")
  void stowageSignsAsTheSdkDoes(FuzzedDataProvider data) {
    String key = data.consumeString(200);
    String queryName = data.consumeAsciiString(20);
    String queryValue = data.consumeString(40);
    String metaValue = printableAscii(data.consumeAsciiString(60));
    String region = data.pickValue(new String[] {"us-east-1", "eu-west-3", "ap-south-2"});
    if (queryName.isEmpty()) {
      queryName = "prefix";
    }

    String path = "/bucket/" + PercentEncoding.path(key);
    String query = PercentEncoding.query(queryName) + "=" + PercentEncoding.query(queryValue);
    Map<String, String> signedHeaders = new TreeMap<>();
    signedHeaders.put("x-amz-meta-fuzz", metaValue);
    // Product classes are first touched here, after Jazzer's agent is installed.
    S3Credentials credentials = new S3Credentials(ACCESS_KEY, SECRET_KEY, null);
    String ours =
        new SigV4(region, "s3")
            .sign("GET", path, query, "s3.fuzz.test:9000", signedHeaders, credentials, WHEN)
            .get("Authorization");

    assertThat(ours).isEqualTo(reference(region, key, queryName, queryValue, metaValue));
  }

  private static String reference(
      String region, String key, String queryName, String queryValue, String metaValue) {
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .protocol("https")
            .host("s3.fuzz.test")
            .port(9000)
            .encodedPath("/bucket/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key))
            .putRawQueryParameter(queryName, queryValue)
            .putHeader("x-amz-meta-fuzz", metaValue)
            .putHeader("x-amz-content-sha256", SigV4.EMPTY_PAYLOAD_SHA256)
            .build();
    SignedRequest signed =
        REFERENCE.sign(
            r ->
                r.identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET_KEY))
                    .request(request)
                    .payload(ContentStreamProvider.fromByteArray(new byte[0]))
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(WHEN, ZoneOffset.UTC)));
    return signed.request().firstMatchingHeader("Authorization").orElseThrow();
  }

  /** Header values Stowage sends are visible ASCII and spaces (what HTTP/1.1 carries as such). */
  private static String printableAscii(String s) {
    StringBuilder sb = new StringBuilder();
    s.chars().filter(c -> c >= 0x20 && c < 0x7f).forEach(c -> sb.append((char) c));
    return sb.toString();
  }
}
