package io.stowage.storage.s3;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

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

  /** The AWS SDK's default chain, created on first use so that static keys never load the SDK. */
  final class AwsChain implements CredentialsSource {
    private static final String HTTP_IMPL_PROPERTY = "software.amazon.awssdk.http.service.impl";
    private static final String URL_CONNECTION_SERVICE =
        "software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService";
    private @Nullable AwsCredentialsProvider provider;

    @Override
    public synchronized Optional<S3Credentials> resolve() {
      if (provider == null) {
        // STS calls (web identity) use the lightweight URLConnection client; say so, in case
        // another SDK HTTP client is also on the classpath and the SDK would refuse to choose.
        if (System.getProperty(HTTP_IMPL_PROPERTY) == null) {
          System.setProperty(HTTP_IMPL_PROPERTY, URL_CONNECTION_SERVICE);
        }
        provider = DefaultCredentialsProvider.builder().build();
      }
      AwsCredentials c;
      try {
        c = provider.resolveCredentials();
      } catch (RuntimeException e) {
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

    @Override
    public List<String> secrets() {
      return List.of();
    }
  }
}
