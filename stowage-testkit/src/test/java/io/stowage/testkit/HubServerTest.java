package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubServerTest {

  private static final String REPO = "acme/tiny-llm";
  private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.UTF_8);
  private static final String HELLO_BLOB = "ce013625030ba8dba906f756967f9e9ca394464a";
  private static final byte[] CONFIG =
      "{\"model_type\": \"llama\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] WEIGHTS = ByteSourceServer.pattern(64 * 1024);
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>; rel=\"next\"");

  @TempDir Path dir;

  private HubServer hub;
  private HubServer.Repo repo;
  private String mainSha;
  private final TestHttp http = TestHttp.plain();

  @BeforeEach
  void start() {
    hub = HubServer.start();
    repo = hub.addRepo(REPO).lfsThreshold(1024);
    mainSha = repo.commit("main", files());
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private static Map<String, byte[]> files() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("config.json", CONFIG);
    files.put("README.md", HELLO);
    files.put("model.safetensors", WEIGHTS);
    files.put("tokenizer/tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8));
    files.put("tokenizer/vocab/merges.txt", "a b\n".getBytes(StandardCharsets.UTF_8));
    return files;
  }

  @Test
  void gitIdsAreWhatGitComputes() {
    assertThat(GitObjects.blobOid(HELLO)).isEqualTo(HELLO_BLOB);
    assertThat(GitObjects.blobOid(new byte[0]))
        .isEqualTo("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    // `git mktree` of one file "hello.txt" holding "hello\n".
    assertThat(GitObjects.treeOid(List.of(new GitObjects.TreeItem("hello.txt", false, HELLO_BLOB))))
        .isEqualTo("aaa96ced2d9a1c8e72c56b253a0e2fe78393feb7");
    // The empty tree every git knows.
    assertThat(GitObjects.treeOid(List.of())).isEqualTo("4b825dc642cb6eb9a060e54bf8d69288fbee4904");
    // A 9-digit size gives the 134-byte pointers typical of multi-hundred-MB weights.
    assertThat(GitObjects.lfsPointer("a".repeat(64), 123_456_789L)).hasSize(134);
  }

  @Test
  void commitsHaveTheTreeAndCommitIdsGitGives() {
    // Expected ids from `git write-tree` and `git commit-tree` with the same files, author, date
    // and message; "tokenizer-a" sorts before the directory "tokenizer" in git's order.
    TreeMap<String, HubFile> files = new TreeMap<>();
    for (Map.Entry<String, String> file :
        Map.of(
                "README.md", "hello\n",
                "tokenizer-a", "x",
                "tokenizer/tokenizer.json", "{}",
                "tokenizer/vocab/merges.txt", "a b\n")
            .entrySet()) {
      byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
      files.put(file.getKey(), HubFile.of(file.getKey(), ServedContent.of(bytes), false));
    }
    Instant time = Instant.ofEpochSecond(1_700_000_000L);

    HubCommit first = HubCommit.create(files, null, time, "first");
    HubCommit second = HubCommit.create(new TreeMap<>(), first.sha, time, "second");

    assertThat(first.treeOid()).isEqualTo("e780d78d02e329ada8743cf6af72bb0e668353df");
    assertThat(first.list("", true))
        .extracting(HubCommit.Entry::path, HubCommit.Entry::oid)
        .containsExactly(
            tuple("README.md", HELLO_BLOB),
            tuple("tokenizer", "1017f6330bcf8d695d0ff73f7a7a673cd6fcbc46"),
            tuple("tokenizer-a", "c1b0730e0133447badcfd47fd144e254807b06e1"),
            tuple("tokenizer/tokenizer.json", "9e26dfeeb6e641a33dae4961196235bdb965b21b"),
            tuple("tokenizer/vocab", "5203f7928a65bcc52e76db97a7bca266b028bf3e"),
            tuple("tokenizer/vocab/merges.txt", "b2901ea97cfc0f297529eb23d489eab8cb71f9db"));
    assertThat(first.sha).isEqualTo("fe8584f261d0925ca3a7b15d6ea7e57b9bd9a34a");
    assertThat(second.sha).isEqualTo("d031c1d44e4a2a937ccc88c8ea2a431abc607df5");
  }

  @Test
  void modelInfoHasTheHubsShape() throws Exception {
    HttpResponse<byte[]> response = http.get(api("/revision/main"));
    Map<String, @Nullable Object> info = Json.object(response.body());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValue("application/json; charset=utf-8");
    assertThat(info)
        .containsEntry("id", REPO)
        .containsEntry("modelId", REPO)
        .containsEntry("author", "acme")
        .containsEntry("sha", mainSha)
        .containsEntry("private", false)
        .containsEntry("gated", false)
        .containsKeys("lastModified", "createdAt");
    assertThat(Json.string(info, "lastModified"))
        .matches("\\d{4}-\\d{2}-\\d{2}T[\\d:]{8}\\.\\d{3}Z");
    assertThat(mainSha).matches("[0-9a-f]{40}");
    assertThat(siblings(info))
        .containsExactly(
            "README.md",
            "config.json",
            "model.safetensors",
            "tokenizer/tokenizer.json",
            "tokenizer/vocab/merges.txt");
    assertThat(Json.object(http.get(api("")).body())).containsEntry("sha", mainSha);
  }

  @Test
  void modelInfoWithBlobsCarriesSizesAndLfsHashes() throws Exception {
    Map<String, @Nullable Object> info =
        Json.object(http.get(api("/revision/main?blobs=true")).body());

    List<Map<String, @Nullable Object>> siblings = Json.objects(info, "siblings");
    Map<String, @Nullable Object> readme = siblings.get(0);
    Map<String, @Nullable Object> weights = siblings.get(2);
    assertThat(readme).containsEntry("blobId", HELLO_BLOB).containsEntry("size", 6L);
    assertThat(readme).doesNotContainKey("lfs");
    assertThat(weights).containsEntry("rfilename", "model.safetensors");
    assertThat(weights.get("lfs"))
        .isEqualTo(
            Map.of(
                "sha256",
                HttpFileServerTest.hex("SHA-256", WEIGHTS),
                "size",
                (long) WEIGHTS.length,
                "pointerSize",
                130L));
  }

  @Test
  void revisionsAreBranchesTagsCommitIdsAndEncodedRefs() throws Exception {
    repo.tag("v1.0", "main");
    Map<String, byte[]> changed = new LinkedHashMap<>(files());
    changed.put("config.json", "{\"model_type\": \"mistral\"}".getBytes(StandardCharsets.UTF_8));
    String second = repo.commit("main", changed);
    String pr = repo.commit("refs/pr/1", Map.of("only.txt", HELLO));

    assertThat(second).isNotEqualTo(mainSha);
    assertThat(sha(api("/revision/main"))).isEqualTo(second);
    assertThat(sha(api("/revision/v1.0"))).isEqualTo(mainSha);
    assertThat(sha(api("/revision/" + mainSha))).isEqualTo(mainSha);
    assertThat(sha(api("/revision/refs%2Fpr%2F1"))).isEqualTo(pr);
    assertThat(sha(api("/revision/refs/pr/1"))).isEqualTo(pr);
    assertThat(hub.requests().get(3).rawPath()).endsWith("/revision/refs%2Fpr%2F1");

    assertThat(http.get(resolve(mainSha, "config.json")).body())
        .isEqualTo(files().get("config.json"));
    assertThat(http.get(resolve("main", "config.json")).body())
        .isEqualTo(changed.get("config.json"));
    assertThat(http.get(resolve("refs%2Fpr%2F1", "only.txt")).body()).isEqualTo(HELLO);
    assertThat(http.get(resolve("refs/pr/1", "only.txt")).body()).isEqualTo(HELLO);
  }

  @Test
  void unknownRevisionFileAndRepoHaveTheirErrorCodes() throws Exception {
    HttpResponse<byte[]> revision = http.get(api("/revision/nope"));
    HttpResponse<byte[]> file = http.get(resolve("main", "missing.bin"));
    HttpResponse<byte[]> fileHead = http.head(resolve("main", "missing.bin"));
    HttpResponse<byte[]> revisionOfFile = http.get(resolve("nope", "config.json"));
    HttpResponse<byte[]> repoAnonymous = http.get(hub.endpoint().resolve("/api/models/acme/other"));
    hub.addToken("hf_user");
    HttpResponse<byte[]> repoWithToken =
        http.get(
            hub.endpoint().resolve("/api/models/acme/other"), "Authorization", "Bearer hf_user");

    assertThat(revision.statusCode()).isEqualTo(404);
    assertThat(errorCode(revision)).isEqualTo("RevisionNotFound");
    assertThat(Json.object(revision.body())).containsEntry("error", "Invalid rev id: nope");
    assertThat(file.statusCode()).isEqualTo(404);
    assertThat(errorCode(file)).isEqualTo("EntryNotFound");
    assertThat(fileHead.statusCode()).isEqualTo(404);
    assertThat(errorCode(fileHead)).isEqualTo("EntryNotFound");
    assertThat(fileHead.body()).isEmpty();
    assertThat(revisionOfFile.statusCode()).isEqualTo(404);
    assertThat(errorCode(revisionOfFile)).isEqualTo("RevisionNotFound");
    assertThat(repoAnonymous.statusCode()).isEqualTo(401);
    assertThat(errorCode(repoAnonymous)).isEqualTo("RepoNotFound");
    assertThat(Json.object(repoAnonymous.body()).get("error"))
        .asString()
        .startsWith("Repository Not Found for url: ");
    assertThat(repoWithToken.statusCode()).isEqualTo(404);
    assertThat(errorCode(repoWithToken)).isEqualTo("RepoNotFound");
  }

  @Test
  void treeListsFilesAndDirectoriesWithGitAndLfsIds() throws Exception {
    List<Map<String, @Nullable Object>> entries =
        Json.arrayOfObjects(http.get(api("/tree/main?recursive=true")).body());

    assertThat(entries)
        .extracting(e -> e.get("path"))
        .containsExactly(
            "README.md",
            "config.json",
            "model.safetensors",
            "tokenizer",
            "tokenizer/tokenizer.json",
            "tokenizer/vocab",
            "tokenizer/vocab/merges.txt");
    Map<String, @Nullable Object> readme = entries.get(0);
    assertThat(readme)
        .containsEntry("type", "file")
        .containsEntry("oid", HELLO_BLOB)
        .containsEntry("size", 6L)
        .doesNotContainKey("lfs");
    Map<String, @Nullable Object> weights = entries.get(2);
    String sha256 = HttpFileServerTest.hex("SHA-256", WEIGHTS);
    byte[] pointer = GitObjects.lfsPointer(sha256, WEIGHTS.length);
    assertThat(weights)
        .containsEntry("type", "file")
        .containsEntry("oid", GitObjects.blobOid(pointer))
        .containsEntry("size", (long) WEIGHTS.length)
        .containsEntry(
            "lfs", Map.of("oid", sha256, "size", (long) WEIGHTS.length, "pointerSize", 130L));
    Map<String, @Nullable Object> vocab = entries.get(5);
    String mergesBlob = GitObjects.blobOid("a b\n".getBytes(StandardCharsets.UTF_8));
    assertThat(vocab)
        .containsEntry("type", "directory")
        .containsEntry("size", 0L)
        .containsEntry(
            "oid",
            GitObjects.treeOid(List.of(new GitObjects.TreeItem("merges.txt", false, mergesBlob))));
    assertThat(repo.file("main", "model.safetensors"))
        .isEqualTo(
            new HubServer.FileInfo(
                "model.safetensors", WEIGHTS.length, GitObjects.blobOid(pointer), sha256, true));
  }

  @Test
  void treeOfAPathAndWithoutRecursion() throws Exception {
    List<Map<String, @Nullable Object>> top =
        Json.arrayOfObjects(http.get(api("/tree/main")).body());
    List<Map<String, @Nullable Object>> sub =
        Json.arrayOfObjects(
            http.get(api("/tree/main/tokenizer?recursive=True&expand=false")).body());
    List<Map<String, @Nullable Object>> encodedSub =
        Json.arrayOfObjects(http.get(api("/tree/main/tokenizer%2Fvocab?recursive=true")).body());
    HttpResponse<byte[]> missing = http.get(api("/tree/main/nope?recursive=true"));

    assertThat(top)
        .extracting(e -> e.get("path"))
        .containsExactly("README.md", "config.json", "model.safetensors", "tokenizer");
    assertThat(sub)
        .extracting(e -> e.get("path"))
        .containsExactly(
            "tokenizer/tokenizer.json", "tokenizer/vocab", "tokenizer/vocab/merges.txt");
    assertThat(encodedSub)
        .extracting(e -> e.get("path"))
        .containsExactly("tokenizer/vocab/merges.txt");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(errorCode(missing)).isEqualTo("EntryNotFound");
  }

  @Test
  void treeIsPaginatedWithLinkHeaders() throws Exception {
    hub.pageSize(2);
    List<String> paths = new ArrayList<>();
    List<URI> pages = new ArrayList<>();
    URI next = api("/tree/main?recursive=true&expand=false");
    while (next != null) {
      pages.add(next);
      HttpResponse<byte[]> page = http.get(next);
      assertThat(page.statusCode()).isEqualTo(200);
      List<Map<String, @Nullable Object>> entries = Json.arrayOfObjects(page.body());
      assertThat(entries.size()).isBetween(1, 2);
      entries.forEach(e -> paths.add((String) e.get("path")));
      next = nextLink(page);
    }

    assertThat(pages).hasSize(4);
    assertThat(pages.get(1).toString())
        .startsWith(
            hub.endpoint()
                + "/api/models/acme/tiny-llm/tree/main?recursive=true&expand=false&cursor=");
    assertThat(paths).hasSize(7).doesNotHaveDuplicates();
    assertThat(http.get(api("/tree/main?recursive=true&cursor=bogus")).statusCode()).isEqualTo(400);
  }

  @Test
  void resolveServesRegularFilesWithBlobEtagAndRanges() throws Exception {
    HttpResponse<byte[]> whole = http.get(resolve("main", "README.md"));
    HttpResponse<byte[]> part = http.get(resolve("main", "config.json"), "Range", "bytes=2-11");
    HttpResponse<byte[]> head = http.head(resolve("main", "README.md"));

    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(HELLO);
    assertThat(header(whole, "etag")).isEqualTo("\"" + HELLO_BLOB + "\"");
    assertThat(header(whole, "x-repo-commit")).isEqualTo(mainSha);
    assertThat(header(whole, "accept-ranges")).isEqualTo("bytes");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(CONFIG, 2, 12));
    assertThat(header(part, "content-range")).isEqualTo("bytes 2-11/" + CONFIG.length);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(header(head, "content-length")).isEqualTo("6");
    assertThat(header(head, "etag")).isEqualTo("\"" + HELLO_BLOB + "\"");
    assertThat(header(head, "x-repo-commit")).isEqualTo(mainSha);
  }

  @Test
  void resolveRedirectsLfsFilesToTheCdnWhichServesRanges() throws Exception {
    String sha256 = HttpFileServerTest.hex("SHA-256", WEIGHTS);
    HttpResponse<byte[]> head = http.head(resolve("main", "model.safetensors"));
    HttpResponse<byte[]> get = http.get(resolve("main", "model.safetensors"), "Range", "bytes=0-9");

    for (HttpResponse<byte[]> redirect : List.of(head, get)) {
      assertThat(redirect.statusCode()).isEqualTo(302);
      assertThat(header(redirect, "location")).isEqualTo(hub.endpoint() + "/cdn/" + sha256);
      assertThat(header(redirect, "x-linked-etag")).isEqualTo("\"" + sha256 + "\"");
      assertThat(header(redirect, "x-linked-size")).isEqualTo(Integer.toString(WEIGHTS.length));
      assertThat(header(redirect, "x-repo-commit")).isEqualTo(mainSha);
      assertThat(redirect.body()).isEmpty();
    }

    URI cdn = URI.create(header(get, "location"));
    HttpResponse<byte[]> part = http.get(cdn, "Range", "bytes=100-199");
    HttpResponse<byte[]> cdnHead = http.head(cdn);
    HttpResponse<byte[]> followed =
        TestHttp.followingRedirects().get(resolve("main", "model.safetensors"));

    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(WEIGHTS, 100, 200));
    assertThat(header(part, "etag")).isEqualTo("\"" + sha256 + "\"");
    assertThat(header(part, "content-range")).isEqualTo("bytes 100-199/" + WEIGHTS.length);
    assertThat(header(cdnHead, "content-length")).isEqualTo(Integer.toString(WEIGHTS.length));
    assertThat(cdnHead.body()).isEmpty();
    assertThat(followed.body()).isEqualTo(WEIGHTS);
    assertThat(http.get(hub.endpoint().resolve("/cdn/" + "0".repeat(64))).statusCode())
        .isEqualTo(404);
  }

  @Test
  void lfsByPatternAndFromDisk() throws Exception {
    Path big = dir.resolve("big.bin");
    byte[] content = ByteSourceServer.pattern(2 * 1024 * 1024 + 3);
    Files.write(big, content);
    HubServer.Repo other =
        hub.addRepo("acme/other").lfsPatterns("*.tiny").lfsThreshold(1024 * 1024);
    String sha =
        other.commit(
            "main", Map.of("x.tiny", HELLO, "small.txt", HELLO), Map.of("weights/big.bin", big));

    HubServer.FileInfo tiny = other.file(sha, "x.tiny");
    HubServer.FileInfo small = other.file(sha, "small.txt");
    HubServer.FileInfo onDisk = other.file("main", "weights/big.bin");
    HttpResponse<byte[]> downloaded =
        TestHttp.followingRedirects()
            .get(hub.endpoint().resolve("/acme/other/resolve/main/weights/big.bin"));

    assertThat(tiny.lfs()).isTrue();
    assertThat(small.lfs()).isFalse();
    assertThat(small.oid()).isEqualTo(HELLO_BLOB);
    assertThat(onDisk.lfs()).isTrue();
    assertThat(onDisk.sha256()).isEqualTo(HttpFileServerTest.hex("SHA-256", content));
    assertThat(downloaded.body()).isEqualTo(content);
    assertThat(other.files("main")).containsExactly("small.txt", "weights/big.bin", "x.tiny");
  }

  @Test
  void privateReposAreHiddenFromEveryoneWithoutAccess() throws Exception {
    repo.makePrivate("hf_owner");
    hub.addToken("hf_stranger");
    List<URI> endpoints =
        List.of(api("/revision/main"), api("/tree/main"), resolve("main", "README.md"));

    for (URI uri : endpoints) {
      HttpResponse<byte[]> anonymous = http.get(uri);
      HttpResponse<byte[]> stranger = http.get(uri, "Authorization", "Bearer hf_stranger");
      HttpResponse<byte[]> owner = http.get(uri, "Authorization", "Bearer hf_owner");

      assertThat(anonymous.statusCode()).as(uri.toString()).isEqualTo(401);
      assertThat(errorCode(anonymous)).isEqualTo("RepoNotFound");
      assertThat(stranger.statusCode()).as(uri.toString()).isEqualTo(404);
      assertThat(errorCode(stranger)).isEqualTo("RepoNotFound");
      assertThat(owner.statusCode()).as(uri.toString()).isEqualTo(200);
    }
    assertThat(
            Json.object(http.get(api("/revision/main"), "Authorization", "Bearer hf_owner").body()))
        .containsEntry("private", true);
    // Not even a wrong revision gives the repository away.
    assertThat(errorCode(http.get(api("/revision/nope")))).isEqualTo("RepoNotFound");
  }

  @Test
  void gatedReposAreListedButDownloadsNeedAccess() throws Exception {
    repo.makeGated("hf_granted");
    hub.addToken("hf_waiting");

    HttpResponse<byte[]> info = http.get(api("/revision/main"));
    HttpResponse<byte[]> anonymous = http.get(resolve("main", "README.md"));
    HttpResponse<byte[]> anonymousHead = http.head(resolve("main", "model.safetensors"));
    HttpResponse<byte[]> waiting =
        http.get(resolve("main", "README.md"), "Authorization", "Bearer hf_waiting");
    HttpResponse<byte[]> granted =
        http.get(resolve("main", "README.md"), "Authorization", "Bearer hf_granted");

    assertThat(info.statusCode()).isEqualTo(200);
    assertThat(Json.object(info.body())).containsEntry("gated", "manual");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(errorCode(anonymous)).isEqualTo("GatedRepo");
    assertThat(anonymousHead.statusCode()).isEqualTo(401);
    assertThat(errorCode(anonymousHead)).isEqualTo("GatedRepo");
    assertThat(waiting.statusCode()).isEqualTo(403);
    assertThat(errorCode(waiting)).isEqualTo("GatedRepo");
    assertThat(header(waiting, "x-error-message")).contains("ask for access");
    assertThat(granted.statusCode()).isEqualTo(200);
    assertThat(granted.body()).isEqualTo(HELLO);

    repo.makeGated(HubServer.Gate.AUTO);
    assertThat(Json.object(http.get(api("/revision/main")).body())).containsEntry("gated", "auto");
  }

  @Test
  void unknownTokensAreRefusedEverywhere() throws Exception {
    HttpResponse<byte[]> response =
        http.get(api("/revision/main"), "Authorization", "Bearer hf_nobody");
    HttpResponse<byte[]> basic = http.get(api("/revision/main"), "Authorization", "Basic eDp5");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("x-error-code")).isEmpty();
    assertThat(Json.object(response.body()))
        .containsEntry("error", "Invalid credentials in Authorization header");
    assertThat(basic.statusCode()).isEqualTo(401);
  }

  @Test
  void requestLogRecordsWhetherATokenWasSentButNeverTheToken() throws Exception {
    repo.makePrivate("hf_secret_value");

    http.get(api("/tree/main?recursive=true"), "Authorization", "Bearer hf_secret_value");
    http.get(resolve("main", "config.json"), "Range", "bytes=0-1");

    List<RecordedRequest> requests = hub.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).hasAuthorization()).isTrue();
    assertThat(requests.get(0).header("authorization")).isEqualTo("Bearer <redacted>");
    assertThat(requests.get(0).path()).isEqualTo("/api/models/acme/tiny-llm/tree/main");
    assertThat(requests.get(0).query()).isEqualTo("recursive=true");
    assertThat(requests.get(1).hasAuthorization()).isFalse();
    assertThat(requests.get(1).range()).isEqualTo("bytes=0-1");
    assertThat(requests.toString()).doesNotContain("hf_secret_value");
  }

  @Test
  void scriptedFailuresHitTheMatchingPathsOnly() throws Exception {
    HttpResponse<byte[]> redirect = http.get(resolve("main", "model.safetensors"));
    URI cdn = URI.create(header(redirect, "location"));
    hub.failNext("/cdn/*", 2, 500);

    assertThat(http.get(resolve("main", "README.md")).statusCode()).isEqualTo(200);
    assertThat(http.get(cdn).statusCode()).isEqualTo(500);
    assertThat(http.get(cdn, "Range", "bytes=0-0").statusCode()).isEqualTo(500);
    assertThat(http.get(cdn).statusCode()).isEqualTo(200);
  }

  @Test
  void aSeparateCdnOriginGetsTheLfsTraffic() throws Exception {
    URI cdnOrigin = hub.useSeparateCdnOrigin();

    HttpResponse<byte[]> redirect =
        http.get(resolve("main", "model.safetensors"), "Authorization", "Bearer x");
    hub.addToken("hf_t");
    HttpResponse<byte[]> followed =
        TestHttp.followingRedirects()
            .get(resolve("main", "model.safetensors"), "Authorization", "Bearer hf_t");

    assertThat(cdnOrigin.getPort()).isNotEqualTo(hub.port());
    assertThat(hub.cdnEndpoint()).isEqualTo(cdnOrigin);
    assertThat(redirect.statusCode()).isEqualTo(401);
    assertThat(followed.statusCode()).isEqualTo(200);
    assertThat(followed.body()).isEqualTo(WEIGHTS);
    assertThat(followed.uri().toString()).startsWith(cdnOrigin + "/cdn/");
    RecordedRequest atCdn = hub.requests().get(hub.requests().size() - 1);
    assertThat(atCdn.header("host")).isEqualTo("127.0.0.1:" + cdnOrigin.getPort());
  }

  @Test
  void servesOverTls() throws Exception {
    TlsMaterial tls = TestHttp.tls();
    try (HubServer https = HubServer.startTls(tls)) {
      https.addRepo("acme/secure").commit("main", Map.of("README.md", HELLO));

      HttpResponse<byte[]> response =
          TestHttp.trusting(tls)
              .get(https.endpoint().resolve("/acme/secure/resolve/main/README.md"));

      assertThat(https.endpoint().getScheme()).isEqualTo("https");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(HELLO);
    }
  }

  @Test
  void rejectsBadSetup() {
    assertThatThrownBy(() -> hub.addRepo("no-owner")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> hub.addRepo(REPO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> repo.commit("main", Map.of("../x", HELLO)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> repo.commit("main", Map.of("a", HELLO, "a/b", HELLO)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> repo.sha("nope")).isInstanceOf(IllegalArgumentException.class);
  }

  private URI api(String suffix) {
    return URI.create(hub.endpoint() + "/api/models/" + REPO + suffix);
  }

  private URI resolve(String rawRevision, String path) {
    return URI.create(hub.endpoint() + "/" + REPO + "/resolve/" + rawRevision + "/" + path);
  }

  private String sha(URI info) throws Exception {
    HttpResponse<byte[]> response = http.get(info);
    assertThat(response.statusCode()).as(info.toString()).isEqualTo(200);
    return Json.string(Json.object(response.body()), "sha");
  }

  private static List<String> siblings(Map<String, @Nullable Object> info) {
    List<String> names = new ArrayList<>();
    for (Map<String, @Nullable Object> sibling : Json.objects(info, "siblings")) {
      names.add(Json.string(sibling, "rfilename"));
    }
    return names;
  }

  private static @Nullable URI nextLink(HttpResponse<?> response) {
    String link = response.headers().firstValue("link").orElse(null);
    if (link == null) {
      return null;
    }
    Matcher matcher = NEXT_LINK.matcher(link);
    assertThat(matcher.matches()).as(link).isTrue();
    return URI.create(matcher.group(1));
  }

  private static String errorCode(HttpResponse<?> response) {
    return header(response, "x-error-code");
  }

  private static String header(HttpResponse<?> response, String name) {
    return response
        .headers()
        .firstValue(name)
        .orElseThrow(() -> new AssertionError("no " + name + " header"));
  }
}
