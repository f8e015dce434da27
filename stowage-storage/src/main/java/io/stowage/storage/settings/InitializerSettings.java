package io.stowage.storage.settings;

import io.stowage.common.UriRedaction;
import io.stowage.storage.StorageException;
import io.stowage.storage.archive.ArchiveLimits;
import io.stowage.storage.hf.HuggingFaceSettings;
import io.stowage.storage.http.HostHeaders;
import io.stowage.storage.net.NetSettings;
import io.stowage.storage.net.ProxySettings;
import io.stowage.storage.net.TlsSettings;
import io.stowage.storage.s3.CredentialsSource;
import io.stowage.storage.s3.S3Credentials;
import io.stowage.storage.s3.S3Settings;
import io.stowage.storage.transfer.PathFilter;
import io.stowage.storage.transfer.RetryPolicy;
import io.stowage.storage.transfer.TransferSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the initializer reads from its environment, parsed once. The variable names are
 * KServe's (see the README's table), plus a few {@code STOWAGE_*} tuning knobs.
 *
 * @param s3 how to reach and authenticate to S3
 * @param net connection timeouts, TLS and proxies for S3
 * @param httpNet the same for https, Hugging Face and other web sources (their TLS settings are not
 *     S3's: the global CA bundle and {@code REQUESTS_CA_BUNDLE}/{@code SSL_CERT_FILE} apply)
 * @param huggingFace {@code HF_ENDPOINT} and {@code HF_TOKEN}
 * @param hostHeaders {@code <host>-headers} for https sources
 * @param pvcRoot where KServe's older webhook mounted {@code pvc://} claims ({@code /mnt/pvc})
 * @param transfer concurrency, part size, retries, deadline, durability
 * @param filter {@code STORAGE_ALLOW_PATTERNS} / {@code STORAGE_IGNORE_PATTERNS}
 * @param archiveLimits {@code STOWAGE_ARCHIVE_MAX_BYTES}, {@code _MAX_RATIO}, {@code _MAX_ENTRIES}
 * @param progressInterval how often progress lines are logged
 * @param secrets values that must never be printed
 */
public record InitializerSettings(
    S3Settings s3,
    NetSettings net,
    NetSettings httpNet,
    HuggingFaceSettings huggingFace,
    HostHeaders hostHeaders,
    Path pvcRoot,
    TransferSettings transfer,
    PathFilter filter,
    ArchiveLimits archiveLimits,
    Duration progressInterval,
    Set<String> secrets) {

  public static final String DEFAULT_CA_MOUNT = "/etc/ssl/custom-certs";
  public static final String DEFAULT_PVC_ROOT = "/mnt/pvc";
  private static final String HEADERS_SUFFIX = "-headers";
  public static final String CA_BUNDLE_FILE = "cabundle.crt";

  /** KServe's storage-config keys for type s3 and the variables they set. */
  private static final Map<String, String> STORAGE_CONFIG_S3 =
      Map.of(
          "endpoint_url", "AWS_ENDPOINT_URL",
          "access_key_id", "AWS_ACCESS_KEY_ID",
          "secret_access_key", "AWS_SECRET_ACCESS_KEY",
          "region", "AWS_DEFAULT_REGION",
          "ca_bundle", "AWS_CA_BUNDLE",
          "verify_ssl", "S3_VERIFY_SSL",
          "anonymous", "awsAnonymousCredential");

  /** Parses the environment of the process (or of a test). */
  public static InitializerSettings fromEnvironment(Map<String, String> environment) {
    Set<String> secrets = new LinkedHashSet<>();
    Env env = withStorageConfig(new Env(environment), secrets);
    CredentialsSource credentials = credentials(env, secrets);
    boolean verifyTls =
        !env.get("S3_VERIFY_SSL")
            .map(v -> v.equals("0") || v.equalsIgnoreCase("false"))
            .orElse(false);
    S3Settings s3 =
        new S3Settings(
            endpoint(env),
            region(env),
            env.isTrue("S3_USER_VIRTUAL_BUCKET")
                ? S3Settings.Addressing.VIRTUAL
                : S3Settings.Addressing.AUTO,
            env.isTrue("S3_USE_ACCELERATE"),
            credentials,
            env.flag("STOWAGE_S3_VERIFY_ETAG", true));
    Duration connectTimeout = Duration.ofSeconds(env.positiveInt("S3_CONNECT_TIMEOUT", 15, 3600));
    Duration readTimeout = Duration.ofSeconds(env.positiveInt("S3_READ_TIMEOUT", 30, 3600));
    ProxySettings proxies = proxies(env);
    boolean jdkTls = jdkTls(env);
    NetSettings net =
        new NetSettings(
            connectTimeout,
            readTimeout,
            new TlsSettings(verifyTls, verifyTls ? caBundles(env) : List.of(), jdkTls),
            proxies);
    NetSettings httpNet =
        new NetSettings(
            connectTimeout,
            env.get("HF_HUB_DOWNLOAD_TIMEOUT").isPresent()
                ? Duration.ofSeconds(env.positiveInt("HF_HUB_DOWNLOAD_TIMEOUT", 30, 3600))
                : readTimeout,
            new TlsSettings(true, webCaBundles(env), jdkTls),
            proxies);
    Optional<String> hfToken = env.first("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN");
    hfToken.ifPresent(secrets::add);
    HuggingFaceSettings huggingFace =
        new HuggingFaceSettings(
            env.get("HF_ENDPOINT")
                .map(v -> httpUrl("HF_ENDPOINT", v))
                .orElse(HuggingFaceSettings.DEFAULT_ENDPOINT),
            hfToken);
    HostHeaders hostHeaders = hostHeaders(environment, secrets);
    Path pvcRoot = Path.of(env.get("STOWAGE_PVC_ROOT").orElse(DEFAULT_PVC_ROOT));
    TransferSettings defaults = TransferSettings.defaults();
    long partSize = env.size("STOWAGE_PART_SIZE", defaults.partSize());
    if (partSize < TransferSettings.MIN_PART_SIZE || partSize > (5L << 30)) {
      throw StorageException.usage("STOWAGE_PART_SIZE must be between 1Mi and 5Gi");
    }
    int concurrency = env.positiveInt("STOWAGE_CONCURRENCY", defaults.concurrency(), 256);
    // KServe's knob counts files in flight; here ranges are the unit of parallelism, and open
    // files only need to keep every worker busy, so the default follows the concurrency.
    int files = env.positiveInt("S3_MAX_FILE_CONCURRENCY", concurrency, 1024);
    TransferSettings transfer =
        new TransferSettings(
            concurrency,
            partSize,
            files,
            defaults.bufferSize(),
            RetryPolicy.withAttempts(env.positiveInt("S3_MAX_ATTEMPTS", 3, 100)),
            env.duration("STOWAGE_DEADLINE"),
            env.flag("STOWAGE_FSYNC", defaults.fsync()));
    PathFilter filter =
        new PathFilter(
            env.get("STORAGE_ALLOW_PATTERNS")
                .map(v -> JsonSettings.patterns("STORAGE_ALLOW_PATTERNS", v))
                .orElse(List.of()),
            env.get("STORAGE_IGNORE_PATTERNS")
                .map(v -> JsonSettings.patterns("STORAGE_IGNORE_PATTERNS", v))
                .orElse(List.of()));
    long archiveBytes =
        env.size("STOWAGE_ARCHIVE_MAX_BYTES", ArchiveLimits.DEFAULT_MAX_TOTAL_BYTES);
    if (archiveBytes <= 0) {
      throw StorageException.usage("STOWAGE_ARCHIVE_MAX_BYTES must be positive");
    }
    ArchiveLimits limits =
        new ArchiveLimits(
            archiveBytes,
            env.positiveOrOff("STOWAGE_ARCHIVE_MAX_RATIO", ArchiveLimits.DEFAULT_MAX_RATIO),
            env.positiveInt(
                "STOWAGE_ARCHIVE_MAX_ENTRIES",
                (int) ArchiveLimits.DEFAULT_MAX_ENTRIES,
                Integer.MAX_VALUE));
    Duration progress = env.duration("STOWAGE_PROGRESS_INTERVAL").orElse(Duration.ofSeconds(10));
    return new InitializerSettings(
        s3,
        net,
        httpNet,
        huggingFace,
        hostHeaders,
        pvcRoot,
        transfer,
        filter,
        limits,
        progress,
        Set.copyOf(secrets));
  }

  /**
   * KServe's storage spec: {@code STORAGE_CONFIG} (the storage-config secret's JSON) with {@code
   * STORAGE_OVERRIDE_CONFIG} on top; for type s3 its keys set the matching variables, overriding
   * the environment.
   */
  private static Env withStorageConfig(Env env, Set<String> secrets) {
    Optional<String> raw = env.get("STORAGE_CONFIG");
    Optional<String> override = env.get("STORAGE_OVERRIDE_CONFIG");
    if (raw.isEmpty() && override.isEmpty()) {
      return env;
    }
    Map<String, String> config = new java.util.LinkedHashMap<>();
    raw.ifPresent(json -> config.putAll(JsonSettings.object("STORAGE_CONFIG", json)));
    override.ifPresent(json -> config.putAll(JsonSettings.object("STORAGE_OVERRIDE_CONFIG", json)));
    for (Map.Entry<String, String> e : config.entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).contains("secret")
          || e.getKey().toLowerCase(Locale.ROOT).contains("token")) {
        secrets.add(e.getValue());
      }
    }
    if (!"s3".equalsIgnoreCase(config.getOrDefault("type", ""))) {
      return env;
    }
    Map<String, String> mapped = new java.util.HashMap<>();
    STORAGE_CONFIG_S3.forEach(
        (key, variable) -> {
          String v = config.get(key);
          if (v != null) {
            mapped.put(variable, v);
          }
        });
    return env.with(mapped);
  }

  private static String region(Env env) {
    return env.first("AWS_DEFAULT_REGION", "AWS_REGION")
        .or(() -> env.get("AWS_PROFILE").flatMap(CredentialsSource.AwsProfile::region))
        .orElse("us-east-1");
  }

  private static CredentialsSource credentials(Env env, Set<String> secrets) {
    if (env.isTrue("awsAnonymousCredential")) {
      return new CredentialsSource.Anonymous();
    }
    Optional<String> id = env.get("AWS_ACCESS_KEY_ID");
    Optional<String> secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (id.isPresent() != secret.isPresent()) {
      String missing = id.isPresent() ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID";
      String present = id.isPresent() ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY";
      throw StorageException.usage(
          present
              + " is set but "
              + missing
              + " is not: the credentials Secret must hold both keys");
    }
    if (id.isPresent() && secret.isPresent()) {
      Optional<String> token = env.get("AWS_SESSION_TOKEN");
      secrets.add(secret.get());
      token.ifPresent(secrets::add);
      return new CredentialsSource.Static(
          new S3Credentials(id.get(), secret.get(), token.orElse(null)));
    }
    Optional<String> profile = env.get("AWS_PROFILE");
    if (profile.isPresent() && env.get("AWS_WEB_IDENTITY_TOKEN_FILE").isEmpty()) {
      return new CredentialsSource.AwsProfile(profile.get());
    }
    return new CredentialsSource.AwsChain(
        region(env),
        env.only("AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ENDPOINT_URL_STS"));
  }

  /**
   * {@code AWS_ENDPOINT_URL}, else the legacy {@code S3_ENDPOINT} (host[:port], or a URL) with
   * {@code S3_USE_HTTPS} ({@code 0} means http, anything else https).
   */
  private static Optional<URI> endpoint(Env env) {
    Optional<String> url = env.get("AWS_ENDPOINT_URL");
    String variable = "AWS_ENDPOINT_URL";
    if (url.isEmpty()) {
      Optional<String> legacy = env.get("S3_ENDPOINT");
      if (legacy.isEmpty()) {
        return Optional.empty();
      }
      variable = "S3_ENDPOINT";
      String v = legacy.get();
      if (!v.contains("://")) {
        boolean https = !env.get("S3_USE_HTTPS").map(s -> s.equals("0")).orElse(false);
        v = (https ? "https://" : "http://") + v;
      }
      url = Optional.of(v);
    }
    return Optional.of(httpUrl(variable, url.get()));
  }

  private static URI httpUrl(String variable, String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        if (uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
          throw StorageException.usage(
              variable + " must be a plain http(s) URL without user info or query");
        }
        return uri;
      }
    } catch (URISyntaxException e) {
      // Reported below.
    }
    throw StorageException.usage(
        variable
            + " must be an http(s) URL such as http://minio.example:9000, not '"
            + UriRedaction.redact(value)
            + "'");
  }

  /** AWS_CA_BUNDLE, else KServe's global bundle mounted from CA_BUNDLE_CONFIGMAP_NAME. */
  private static List<Path> caBundles(Env env) {
    List<Path> bundles = new ArrayList<>();
    Optional<String> bundle = env.get("AWS_CA_BUNDLE");
    if (bundle.isPresent()) {
      Path p = Path.of(bundle.get());
      if (!Files.isRegularFile(p)) {
        throw StorageException.usage(
            "AWS_CA_BUNDLE points to "
                + p
                + ", which does not exist (serving.kserve.io/s3-cabundle)");
      }
      bundles.add(p);
    } else if (env.get("CA_BUNDLE_CONFIGMAP_NAME").isPresent()) {
      Path p =
          Path.of(env.get("CA_BUNDLE_VOLUME_MOUNT_POINT").orElse(DEFAULT_CA_MOUNT), CA_BUNDLE_FILE);
      if (!Files.isRegularFile(p)) {
        throw StorageException.usage(
            "CA_BUNDLE_CONFIGMAP_NAME is set but "
                + p
                + " does not exist: the ConfigMap must have a key "
                + CA_BUNDLE_FILE
                + " mounted at CA_BUNDLE_VOLUME_MOUNT_POINT");
      }
      bundles.add(p);
    }
    return bundles;
  }

  /**
   * For web sources: the global CA bundle (as KServe exports it for https and hf downloads), and
   * {@code REQUESTS_CA_BUNDLE} or {@code SSL_CERT_FILE} when the container sets them.
   */
  private static List<Path> webCaBundles(Env env) {
    List<Path> bundles = new ArrayList<>();
    if (env.get("CA_BUNDLE_CONFIGMAP_NAME").isPresent()) {
      Path p =
          Path.of(env.get("CA_BUNDLE_VOLUME_MOUNT_POINT").orElse(DEFAULT_CA_MOUNT), CA_BUNDLE_FILE);
      if (Files.isRegularFile(p)) {
        bundles.add(p);
      }
    }
    for (String variable : List.of("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE")) {
      Optional<String> v = env.get(variable);
      if (v.isPresent()) {
        Path p = Path.of(v.get());
        if (!Files.isRegularFile(p)) {
          throw StorageException.usage(variable + " points to " + p + ", which does not exist");
        }
        bundles.add(p);
        break;
      }
    }
    return bundles;
  }

  /** KServe's {@code <host>-headers}: a JSON object of headers to send to that host. */
  private static HostHeaders hostHeaders(Map<String, String> environment, Set<String> secrets) {
    Map<String, Map<String, String>> byHost = new java.util.HashMap<>();
    for (Map.Entry<String, String> e : environment.entrySet()) {
      String name = e.getKey();
      if (name.length() > HEADERS_SUFFIX.length()
          && name.endsWith(HEADERS_SUFFIX)
          && !e.getValue().isBlank()) {
        Map<String, String> headers = JsonSettings.object(name, e.getValue());
        secrets.addAll(headers.values());
        byHost.put(
            name.substring(0, name.length() - HEADERS_SUFFIX.length()).toLowerCase(Locale.ROOT),
            headers);
      }
    }
    return new HostHeaders(byHost);
  }

  private static ProxySettings proxies(Env env) {
    Optional<URI> https =
        env.first("https_proxy", "HTTPS_PROXY").map(v -> proxyUrl("HTTPS_PROXY", v));
    Optional<URI> http = env.first("http_proxy", "HTTP_PROXY").map(v -> proxyUrl("HTTP_PROXY", v));
    List<String> noProxy =
        env.first("no_proxy", "NO_PROXY").map(v -> List.of(v.split(",", -1))).orElse(List.of());
    return new ProxySettings(http.orElse(null), https.orElse(null), noProxy);
  }

  private static URI proxyUrl(String variable, String value) {
    String v = value.contains("://") ? value : "http://" + value;
    try {
      URI uri = new URI(v);
      if (uri.getHost() != null && "http".equalsIgnoreCase(uri.getScheme())) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // Reported below.
    }
    throw StorageException.usage(
        variable + " must be an http:// proxy URL such as http://proxy:3128");
  }

  /** {@code STOWAGE_TLS_PROVIDER}: {@code jdk} for the JDK's TLS, {@code conscrypt} (default). */
  private static boolean jdkTls(Env env) {
    Optional<String> v = env.get("STOWAGE_TLS_PROVIDER");
    if (v.isEmpty()) {
      return false;
    }
    return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
      case "jdk" -> true;
      case "conscrypt" -> false;
      default ->
          throw StorageException.usage(
              "STOWAGE_TLS_PROVIDER must be jdk or conscrypt, not '" + v.get() + "'");
    };
  }
}
