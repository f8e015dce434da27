package io.stowage.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UriRedactionTest {

  @Test
  void aShownUriNeverSpansLinesOrCarriesControlCharacters() {
    // Found by StorageUriFuzzTest: a local path with a line break made a two-line usage error.
    assertThat(UriRedaction.redact("/models/a\nFAKE LOG LINE\r\u0000\u007f"))
        .isEqualTo("/models/a?FAKE LOG LINE???");
    assertThat(UriRedaction.redact("https://user:pw@host/a\nb?x=1"))
        .isEqualTo("https://***@host/a?b?x=***");
  }

  static Stream<Arguments> uris() {
    return Stream.of(
        // user-info, whatever its form
        Arguments.of("https://user:pw@host/x", "https://***@host/x"),
        Arguments.of("http://token@host:8080/x", "http://***@host:8080/x"),
        Arguments.of("http://us%40er:p%2Fw@host/x", "http://***@host/x"),
        Arguments.of("http://user:p@ss@host/x", "http://***@host/x"),
        Arguments.of("https://user:pw@host", "https://***@host"),
        Arguments.of("https://user:pw@host?x=1", "https://***@host?x=***"),
        // every query value, names kept
        Arguments.of(
            "https://b.s3.amazonaws.com/m.bin?X-Amz-Signature=abc&X-Amz-Expires=60",
            "https://b.s3.amazonaws.com/m.bin?X-Amz-Signature=***&X-Amz-Expires=***"),
        Arguments.of("https://host/m?sig=a=b&&flag", "https://host/m?sig=***&&***"),
        Arguments.of("https://host/m?", "https://host/m?"),
        Arguments.of("https://host/m?=v", "https://host/m?=***"),
        // fragments
        Arguments.of("https://host/m#access_token=abc", "https://host/m#***"),
        Arguments.of("https://host/m?a=1#t", "https://host/m?a=***#***"),
        Arguments.of("https://host#x?y@z", "https://host#***"),
        // everything at once
        Arguments.of(
            "http://alice:pa55word@127.0.0.1:9/model.bin?X-Amz-Signature=s&sig=t#access_token=f",
            "http://***@127.0.0.1:9/model.bin?X-Amz-Signature=***&sig=***#***"),
        // what has no secret stays as written
        Arguments.of("s3://bucket/prefix/model", "s3://bucket/prefix/model"),
        Arguments.of("hf://org/repo:rev", "hf://org/repo:rev"),
        Arguments.of("pvc://claim/path", "pvc://claim/path"),
        Arguments.of("gs://bucket/a@b", "gs://bucket/a@b"),
        Arguments.of(
            "oci://registry:5000/repo/m@sha256:" + "a".repeat(64),
            "oci://registry:5000/repo/m@sha256:" + "a".repeat(64)),
        Arguments.of(
            "oci://ubuntu@sha256:" + "b".repeat(64), "oci://ubuntu@sha256:" + "b".repeat(64)),
        Arguments.of("/mnt/models/a?b#c", "/mnt/models/a?b#c"),
        Arguments.of("models/x", "models/x"),
        Arguments.of("", ""),
        Arguments.of("://host?x=1", "://host?x=1"));
  }

  @ParameterizedTest
  @MethodSource("uris")
  void hidesUserInfoQueryValuesAndFragments(String uri, String shown) {
    assertThat(UriRedaction.redact(uri)).isEqualTo(shown);
  }

  @ParameterizedTest
  @MethodSource("uris")
  void isIdempotent(String uri, String shown) {
    assertThat(UriRedaction.redact(shown)).isEqualTo(shown);
  }

  static Stream<Arguments> texts() {
    return Stream.of(
        Arguments.of(
            "URI: http://u:p@h/x?sig=abc returned a 503 response code while downloading"
                + " http://u:p@h/x?sig=abc#t",
            "URI: http://***@h/x?sig=*** returned a 503 response code while downloading"
                + " http://***@h/x?sig=***#***"),
        Arguments.of(
            "\"https://h/m?token=abc\" is not supported",
            "\"https://h/m?token=***\" is not supported"),
        Arguments.of("no uri here?a=b", "no uri here?a=b"),
        Arguments.of("s3://bucket/key not found (404)", "s3://bucket/key not found (404)"));
  }

  @ParameterizedTest
  @MethodSource("texts")
  void hidesTheSecretsOfEveryUriInAText(String text, String shown) {
    assertThat(UriRedaction.redactUrisIn(text)).isEqualTo(shown);
  }
}
