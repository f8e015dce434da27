package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stowage.testkit.S3ProxyServer;
import io.stowage.testkit.S3Seeder;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IRSA: no keys in the environment, a web identity token file and a role; the AWS chain exchanges
 * them at STS (here a scripted STS on loopback) for the keys that sign the S3 requests. Also checks
 * that {@code AWS_ENDPOINT_URL}, which points at the S3 store, is not used as the STS endpoint.
 */
class WebIdentityIT {
  @TempDir Path tmp;

  @Test
  void webIdentityCredentialsSignTheDownload() throws Exception {
    S3ProxyServer s3 = S3ProxyServer.shared();
    try (S3Seeder seeder = S3Seeder.forServer(s3)) {
      seeder.createBucket("irsa");
      seeder.put("irsa", "m/config.json", "{}".getBytes(StandardCharsets.UTF_8));
    }
    List<String> stsCalls = new ArrayList<>();
    HttpServer sts =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    sts.createContext(
        "/",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          synchronized (stsCalls) {
            stsCalls.add(body);
          }
          byte[] xml =
              ("<AssumeRoleWithWebIdentityResponse"
                      + " xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                      + "<AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>"
                      + s3.accessKey()
                      + "</AccessKeyId>"
                      + "<SecretAccessKey>"
                      + s3.secretKey()
                      + "</SecretAccessKey><SessionToken>session-token-from-sts</SessionToken>"
                      + "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
                      + "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/model-reader/pod</Arn>"
                      + "<AssumedRoleId>AROAEXAMPLE:pod</AssumedRoleId></AssumedRoleUser>"
                      + "</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>1</RequestId>"
                      + "</ResponseMetadata></AssumeRoleWithWebIdentityResponse>")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/xml");
          ex.sendResponseHeaders(200, xml.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(xml);
          }
        });
    sts.start();
    try {
      Path token = Files.writeString(tmp.resolve("token"), "eyJhbGciOiJSUzI1NiJ9.pod-identity.sig");
      Map<String, String> env = new HashMap<>();
      env.put("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/model-reader");
      env.put("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString());
      env.put("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:" + sts.getAddress().getPort());
      env.put("AWS_ENDPOINT_URL", s3.endpoint().toString());
      env.put("AWS_REGION", "us-east-1");
      Path dest = tmp.resolve("models");
      var r = Launcher.run(env, "initialize", "s3://irsa/m", dest.toString());
      assertThat(r.exit()).as(r.all()).isZero();
      assertThat(Files.readString(dest.resolve("config.json"))).isEqualTo("{}");
      assertThat(stsCalls).hasSize(1);
      assertThat(stsCalls.get(0))
          .contains("Action=AssumeRoleWithWebIdentity")
          .contains("model-reader");
      assertThat(r.all()).doesNotContain("session-token-from-sts").doesNotContain(s3.secretKey());
    } finally {
      sts.stop(0);
    }
  }

  @Test
  void theS3EndpointIsNotUsedForStsAndTheFailureNamesTheRole() throws Exception {
    S3ProxyServer s3 = S3ProxyServer.shared();
    Path token = Files.writeString(tmp.resolve("token"), "token");
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/model-reader");
    env.put("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString());
    env.put("AWS_ENDPOINT_URL", s3.endpoint().toString());
    env.put("AWS_REGION", "eu-west-1");
    var r = Launcher.run(env, "initialize", "s3://irsa/m", tmp.resolve("models").toString());
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.lastErrLine())
        .contains("role/model-reader could not be obtained from STS")
        .doesNotContain(s3.endpoint().getHost() + ":" + s3.endpoint().getPort());
  }
}
