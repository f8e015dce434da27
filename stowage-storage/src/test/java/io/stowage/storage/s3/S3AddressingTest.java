package io.stowage.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class S3AddressingTest {
  private static S3Addressing addressing(
      @Nullable String endpoint, String region, S3Settings.Addressing style, boolean accelerate) {
    return new S3Addressing(
        new S3Settings(
            Optional.ofNullable(endpoint).map(URI::create),
            region,
            style,
            accelerate,
            new CredentialsSource.Anonymous(),
            true));
  }

  @Test
  void customEndpointsArePathStyle() {
    var t =
        addressing("http://127.0.0.1:9000", "us-east-1", S3Settings.Addressing.AUTO, false)
            .target("models", "a b/c");
    assertThat(t.origin().toString()).isEqualTo("http://127.0.0.1:9000");
    assertThat(t.path()).isEqualTo("/models/a%20b/c");
  }

  @Test
  void bucketRequestsOnPathStyleHaveNoTrailingSlash() {
    var t =
        addressing("http://minio:9000/", "us-east-1", S3Settings.Addressing.AUTO, false)
            .target("models", "");
    assertThat(t.path()).isEqualTo("/models");
  }

  @Test
  void virtualBucketSettingMovesTheBucketIntoTheHost() {
    var t =
        addressing(
                "https://oss-cn-hangzhou.aliyuncs.com",
                "cn-hangzhou",
                S3Settings.Addressing.VIRTUAL,
                false)
            .target("b", "k");
    assertThat(t.origin().host()).isEqualTo("b.oss-cn-hangzhou.aliyuncs.com");
    assertThat(t.path()).isEqualTo("/k");
  }

  @Test
  void awsIsVirtualHostedExceptForDottedBuckets() {
    assertThat(
            addressing(null, "eu-west-1", S3Settings.Addressing.AUTO, false)
                .target("b", "k")
                .origin()
                .host())
        .isEqualTo("b.s3.eu-west-1.amazonaws.com");
    var dotted =
        addressing(null, "us-east-1", S3Settings.Addressing.AUTO, false).target("my.bucket", "k");
    assertThat(dotted.origin().host()).isEqualTo("s3.amazonaws.com");
    assertThat(dotted.path()).isEqualTo("/my.bucket/k");
  }

  @Test
  void globalEndpointOutsideUsEast1IsVirtualHostedAsKserveForcesIt() {
    var t =
        addressing("https://s3.amazonaws.com", "eu-central-1", S3Settings.Addressing.AUTO, false)
            .target("b", "k");
    assertThat(t.origin().host()).isEqualTo("b.s3.amazonaws.com");
  }

  @Test
  void accelerateUsesTheAccelerationEndpoint() {
    var t = addressing(null, "us-east-1", S3Settings.Addressing.AUTO, true).target("b", "k");
    assertThat(t.origin().toString()).isEqualTo("https://b.s3-accelerate.amazonaws.com");
  }
}
