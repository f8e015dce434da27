package io.stowage.storage.s3;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Where request credentials come from: none (unsigned requests, {@code awsAnonymousCredential}),
 * static keys from the environment, or the rest of the standard AWS chain (web identity for IRSA,
 * profiles, container and instance metadata), which the AWS SDK resolves and refreshes.
 */
public sealed interface CredentialsSource {

  /** Credentials for the next request; empty for unsigned requests. */
  Optional<S3Credentials> resolve();

  /** Secret strings to scrub from any message, in case a server echoes them. */
  List<String> secrets();

  /** Unsigned requests. */
  record Anonymous() implements CredentialsSource {
    @Override
    public Optional<S3Credentials> resolve() {
      return Optional.empty();
    }

    @Override
    public List<String> secrets() {
      return List.of();
    }
  }

  /** Keys given directly ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, ...). */
  record Static(S3Credentials credentials) implements CredentialsSource {
    @Override
    public Optional<S3Credentials> resolve() {
      return Optional.of(credentials);
    }

    @Override
    public List<String> secrets() {
      String token = credentials.sessionToken();
      return token == null
          ? List.of(credentials.secretAccessKey())
          : List.of(credentials.secretAccessKey(), token);
    }

    @Override
    public String toString() {
      return "Static[***]";
    }
  }

  /**
   * A named profile of the shared AWS files ({@code ~/.aws/credentials}, {@code ~/.aws/config}, or
   * {@code AWS_SHARED_CREDENTIALS_FILE}/{@code AWS_CONFIG_FILE}), as {@code --profile} or {@code
   * AWS_PROFILE} name it; the SDK resolves static keys, SSO and role chains from it.
   */
  final class AwsProfile implements CredentialsSource {
    private final String profile;
    private @Nullable AwsCredentialsProvider provider;

    public AwsProfile(String profile) {
      this.profile = profile;
    }

    @Override
    public synchronized Optional<S3Credentials> resolve() {
      if (provider == null) {
        System.setProperty(
            "software.amazon.awssdk.http.service.impl",
            "software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
        provider = ProfileCredentialsProvider.builder().profileName(profile).build();
      }
      AwsCredentials c;
      try {
        c = provider.resolveCredentials();
      } catch (RuntimeException e) {
        throw new StorageException(
            Failure.AUTH,
            "No credentials in the AWS profile '"
                + profile
                + "' ("
                + AwsChain.rootCause(e)
                + "): check ~/.aws/credentials and ~/.aws/config, or AWS_SHARED_CREDENTIALS_FILE",
            e);
      }
      String token = c instanceof AwsSessionCredentials s ? s.sessionToken() : null;
      return Optional.of(new S3Credentials(c.accessKeyId(), c.secretAccessKey(), token));
    }

    /** The profile's {@code region}, if the shared config files give one. */
    public static Optional<String> region(String profile) {
      try {
        return ProfileFile.defaultProfileFile().profile(profile).flatMap(p -> p.property("region"));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }

    @Override
    public List<String> secrets() {
      return List.of();
    }

    @Override
    public String toString() {
      return "AwsProfile[" + profile + "]";
    }
  }

  /** The AWS SDK's default chain, created on first use so that static keys never load the SDK. */
  final class AwsChain implements CredentialsSource {
    private static final String HTTP_IMPL_PROPERTY = "software.amazon.awssdk.http.service.impl";
    private static final String URL_CONNECTION_SERVICE =
        "software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService";
    private final String region;
    private final Map<String, String> environment;
    private @Nullable AwsCredentialsProvider provider;

    /**
     * @param region the initializer's region, also STS's
     * @param environment the process's environment as the settings layer read it: which of the
     *     chain's inputs are set ({@code AWS_WEB_IDENTITY_TOKEN_FILE}, {@code AWS_ROLE_ARN}, {@code
     *     AWS_ENDPOINT_URL_STS}) decides how it is prepared and how its failure is worded
     */
    public AwsChain(String region, Map<String, String> environment) {
      this.region = region;
      this.environment = Map.copyOf(environment);
    }

    @Override
    public synchronized Optional<S3Credentials> resolve() {
      if (provider == null) {
        configureSdk();
        // With a web identity token, use that provider alone: its failure then carries the cause.
        provider =
            webIdentity()
                ? WebIdentityTokenFileCredentialsProvider.create()
                : DefaultCredentialsProvider.builder().build();
      }
      AwsCredentials c;
      try {
        c = provider.resolveCredentials();
      } catch (RuntimeException e) {
        if (webIdentity()) {
          throw new StorageException(
              Failure.AUTH,
              "Web identity (IRSA) credentials for role "
                  + environment.getOrDefault("AWS_ROLE_ARN", "(AWS_ROLE_ARN unset)")
                  + " could not be obtained from STS: "
                  + rootCause(e)
                  + " (set AWS_ENDPOINT_URL_STS for a private STS endpoint)",
              e);
        }
        throw new StorageException(
            Failure.AUTH,
            "No S3 credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (KServe: a"
                + " Secret listed on the InferenceService's ServiceAccount), use IRSA"
                + " (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE), or set"
                + " awsAnonymousCredential=true for a public bucket",
            e);
      }
      String token = c instanceof AwsSessionCredentials s ? s.sessionToken() : null;
      return Optional.of(new S3Credentials(c.accessKeyId(), c.secretAccessKey(), token));
    }

    /**
     * Prepares the SDK's own clients (STS for web identity). Its HTTP client is the lightweight
     * URLConnection one, named explicitly in case another SDK client is also on the classpath. Its
     * region is the initializer's. And {@code AWS_ENDPOINT_URL}, which points at the S3 store
     * (MinIO, Ceph, ...), must not become the STS endpoint too: that is why IRSA with a custom S3
     * endpoint fails under KServe (kserve#3482). {@code AWS_ENDPOINT_URL_STS} is still honoured.
     */
    private void configureSdk() {
      setIfAbsent(HTTP_IMPL_PROPERTY, URL_CONNECTION_SERVICE);
      setIfAbsent("aws.region", region);
      if (!environment.containsKey("AWS_ENDPOINT_URL_STS")) {
        setIfAbsent("aws.ignoreConfiguredEndpointUrls", "true");
      }
    }

    private boolean webIdentity() {
      return environment.containsKey("AWS_WEB_IDENTITY_TOKEN_FILE")
          || System.getProperty("aws.webIdentityTokenFile") != null;
    }

    static String rootCause(Throwable e) {
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      String m = String.valueOf(t.getMessage());
      return t.getClass().getSimpleName()
          + ": "
          + (m.length() > 200 ? m.substring(0, 200) + "..." : m);
    }

    private static void setIfAbsent(String property, String value) {
      if (System.getProperty(property) == null) {
        System.setProperty(property, value);
      }
    }

    @Override
    public List<String> secrets() {
      return List.of();
    }
  }
}
