package io.stowage.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.transfer.PathFilter;
import io.stowage.storage.transfer.RemoteFile;
import io.stowage.storage.transfer.Verification;
import io.stowage.storage.uri.S3Uri;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3LayoutTest {
  private static final String MD5 = "\"0123456789abcdef0123456789abcdef\"";

  private static S3Object obj(String key, long size) {
    return new S3Object(key, size, MD5, "STANDARD");
  }

  private static List<String> paths(List<RemoteFile> files) {
    return files.stream().map(f -> f.path().value()).toList();
  }

  @Test
  void stripsThePrefixAndKeepsTheTree() {
    S3Uri uri = S3Uri.parse("s3://b/models/llm");
    List<RemoteFile> files =
        S3Layout.tree(
            uri,
            "models/llm/",
            List.of(obj("models/llm/config.json", 10), obj("models/llm/sub/w.bin", 20)),
            PathFilter.all(),
            true);
    assertThat(paths(files)).containsExactly("config.json", "sub/w.bin");
  }

  @Test
  void skipsDirectoryMarkersButKeepsEmptyFiles() {
    S3Uri uri = S3Uri.parse("s3://b/m/");
    List<RemoteFile> files =
        S3Layout.tree(
            uri,
            "m/",
            List.of(obj("m/", 0), obj("m/sub/", 0), obj("m/__init__.py", 0), obj("m/a", 1)),
            PathFilter.all(),
            true);
    assertThat(paths(files)).containsExactly("__init__.py", "a");
  }

  @Test
  void refusesKeysThatWouldEscapeTheDestination() {
    S3Uri uri = S3Uri.parse("s3://b/m");
    assertThatThrownBy(
            () ->
                S3Layout.tree(
                    uri, "m/", List.of(obj("m/../../etc/passwd", 1)), PathFilter.all(), true))
        .isInstanceOf(StorageException.class)
        .satisfies(
            e -> assertThat(((StorageException) e).failure()).isEqualTo(Failure.UNSAFE_SOURCE))
        .hasMessageContaining("'..'")
        .hasMessageContaining("m/../../etc/passwd");
  }

  @Test
  void refusesAKeyWhoseNameIsLongerThanAFileNameMayBe() {
    S3Uri uri = S3Uri.parse("s3://b/m");
    String key = "m/" + "k".repeat(300);
    assertThatThrownBy(() -> S3Layout.tree(uri, "m/", List.of(obj(key, 1)), PathFilter.all(), true))
        .isInstanceOf(StorageException.class)
        .satisfies(
            e -> assertThat(((StorageException) e).failure()).isEqualTo(Failure.UNSAFE_SOURCE))
        .hasMessageStartingWith("Refusing key '" + key + "' of s3://b/m: ")
        .hasMessageContaining("255 bytes");
  }

  @Test
  void normalizesEmptyAndDotSegmentsAndRejectsTheResultingCollisions() {
    S3Uri uri = S3Uri.parse("s3://b/m");
    assertThat(paths(S3Layout.tree(uri, "m/", List.of(obj("m//a/./b", 1)), PathFilter.all(), true)))
        .containsExactly("a/b");
    assertThatThrownBy(
            () ->
                S3Layout.tree(
                    uri, "m/", List.of(obj("m/a/b", 1), obj("m/a//b", 1)), PathFilter.all(), true))
        .hasMessageContaining("map to the same file a/b");
  }

  @Test
  void rejectsAFileWhereADirectoryIsNeeded() {
    S3Uri uri = S3Uri.parse("s3://b/m");
    assertThatThrownBy(
            () ->
                S3Layout.tree(
                    uri, "m/", List.of(obj("m/a", 1), obj("m/a/b", 1)), PathFilter.all(), true))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("is a file but");
  }

  @Test
  void refusesNamesReservedForTheManifest() {
    S3Uri uri = S3Uri.parse("s3://b/m");
    assertThatThrownBy(
            () ->
                S3Layout.tree(
                    uri,
                    "m/",
                    List.of(obj("m/.stowage-manifest.jsonl", 1)),
                    PathFilter.all(),
                    true))
        .hasMessageContaining("reserved");
  }

  @Test
  void appliesAllowThenIgnorePatternsToTheRelativePath() {
    S3Uri uri = S3Uri.parse("s3://b/m");
    PathFilter filter = new PathFilter(List.of("*.json", "*.safetensors"), List.of("*optimizer*"));
    List<RemoteFile> files =
        S3Layout.tree(
            uri,
            "m/",
            List.of(
                obj("m/config.json", 1),
                obj("m/sub/model.safetensors", 1),
                obj("m/optimizer.safetensors", 1),
                obj("m/README.md", 1)),
            filter,
            true);
    assertThat(paths(files)).containsExactly("config.json", "sub/model.safetensors");
  }

  @Test
  void singleObjectIsNamedByItsBasename() {
    S3Uri uri = S3Uri.parse("s3://b/x/churn");
    RemoteFile f = S3Layout.singleObject(uri, obj("x/churn", 5), true);
    assertThat(f.path().value()).isEqualTo("churn");
    assertThat(f.locator()).isEqualTo("x/churn");
  }

  @Test
  void singlePartEtagsAreVerifiedAsMd5AndMultipartOnlyBySize() {
    assertThat(S3Layout.verification(obj("k", 1), true))
        .isInstanceOfSatisfying(
            Verification.Digest.class,
            d -> assertThat(d.hex()).isEqualTo("0123456789abcdef0123456789abcdef"));
    assertThat(
            S3Layout.verification(
                new S3Object("k", 1, "\"0123456789abcdef0123456789abcdef-12\"", "S"), true))
        .isInstanceOf(Verification.SizeOnly.class);
    assertThat(S3Layout.verification(obj("k", 1), false)).isInstanceOf(Verification.SizeOnly.class);
    assertThat(S3Layout.verification(new S3Object("k", 1, "opaque-tag", "S"), true))
        .isInstanceOf(Verification.SizeOnly.class);
  }
}
