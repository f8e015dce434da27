package io.stowage.storage.s3;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for S3 requests without a body (header-based authentication).
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html">S3:
 *     signature calculations for the Authorization header</a>
 */
final class SigV4 {
  /** SHA-256 of the empty string: the payload hash of every request without a body. */
  /** The payload hash for bodies that are not hashed (their integrity travels in Content-MD5). */
  static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  static final String EMPTY_PAYLOAD_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern SPACES = Pattern.compile(" {2,}");

  private final String region;
  private final String service;
  private String cachedSecret = "";
  private String cachedDate = "";
  private byte[] cachedKey = new byte[0];

  SigV4(String region, String service) {
    this.region = region;
    this.service = service;
  }

  /**
   * Returns the headers to add to the request: {@code x-amz-date}, {@code x-amz-content-sha256},
   * optionally {@code x-amz-security-token}, and {@code Authorization}.
   *
   * @param canonicalPath the request path exactly as sent (already percent-encoded)
   * @param canonicalQuery the query string exactly as sent (sorted, percent-encoded), or empty
   * @param hostHeader the {@code Host} header exactly as sent
   * @param amzHeaders other {@code x-amz-*} headers that are sent and must be signed
   */
  Map<String, String> sign(
      String method,
      String canonicalPath,
      String canonicalQuery,
      String hostHeader,
      Map<String, String> amzHeaders,
      S3Credentials credentials,
      Instant now) {
    return sign(
        method,
        canonicalPath,
        canonicalQuery,
        hostHeader,
        amzHeaders,
        credentials,
        now,
        EMPTY_PAYLOAD_SHA256);
  }

  /** As above, for a request whose body hashes to {@code payloadHash} (or is unsigned). */
  Map<String, String> sign(
      String method,
      String canonicalPath,
      String canonicalQuery,
      String hostHeader,
      Map<String, String> amzHeaders,
      S3Credentials credentials,
      Instant now,
      String payloadHash) {
    String amzDate = AMZ_DATE.format(now);
    String date = amzDate.substring(0, 8);
    TreeMap<String, String> signed = new TreeMap<>();
    signed.put("host", hostHeader);
    signed.put("x-amz-date", amzDate);
    signed.put("x-amz-content-sha256", payloadHash);
    if (credentials.sessionToken() != null) {
      signed.put("x-amz-security-token", credentials.sessionToken());
    }
    amzHeaders.forEach((k, v) -> signed.put(k.toLowerCase(Locale.ROOT), v));

    StringBuilder canonicalHeaders = new StringBuilder();
    StringBuilder signedNames = new StringBuilder();
    for (Map.Entry<String, String> e : signed.entrySet()) {
      canonicalHeaders.append(e.getKey()).append(':').append(canonicalValue(e.getValue()));
      canonicalHeaders.append('\n');
      if (signedNames.length() > 0) {
        signedNames.append(';');
      }
      signedNames.append(e.getKey());
    }
    String canonicalRequest =
        method
            + '\n'
            + canonicalPath
            + '\n'
            + canonicalQuery
            + '\n'
            + canonicalHeaders
            + '\n'
            + signedNames
            + '\n'
            + payloadHash;
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + '\n'
            + scope
            + '\n'
            + HEX.formatHex(sha256(canonicalRequest));
    String signature =
        HEX.formatHex(hmac(signingKey(credentials.secretAccessKey(), date), stringToSign));

    Map<String, String> out = new TreeMap<>();
    out.put("x-amz-date", amzDate);
    out.put("x-amz-content-sha256", payloadHash);
    if (credentials.sessionToken() != null) {
      out.put("x-amz-security-token", credentials.sessionToken());
    }
    out.put(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential="
            + credentials.accessKeyId()
            + "/"
            + scope
            + ", SignedHeaders="
            + signedNames
            + ", Signature="
            + signature);
    return out;
  }

  /** SigV4's Trimall: no leading or trailing spaces, each run of inner spaces as one. */
  static String canonicalValue(String value) {
    return SPACES.matcher(value.strip()).replaceAll(" ");
  }

  private synchronized byte[] signingKey(String secret, String date) {
    if (!secret.equals(cachedSecret) || !date.equals(cachedDate)) {
      byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
      k = hmac(k, region);
      k = hmac(k, service);
      cachedKey = hmac(k, "aws4_request");
      cachedSecret = secret;
      cachedDate = date;
    }
    return cachedKey;
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
