package io.stowage.oci.registry;

import io.stowage.storage.net.NetSettings;
import io.stowage.storage.transfer.RetryPolicy;
import java.util.Locale;
import java.util.Set;

/**
 * How registries are reached.
 *
 * @param net timeouts (the read timeout is the stall watchdog's), TLS trust (CA bundles), proxies
 * @param plainHttp registries spoken to over plain HTTP ({@code --insecure})
 * @param credentials where each registry's credentials come from
 * @param retry attempts and backoff for requests that fail without moving data
 * @param chunkSize bytes per PATCH of a chunked upload; smaller blobs go in one PUT
 * @param tokenRealms hosts outside a registry's domain that may receive its credentials as its
 *     token realm, on https ({@code STOWAGE_OCI_TOKEN_REALMS}; see {@link CredentialScope})
 */
public record RegistrySettings(
    NetSettings net,
    PlainHttp plainHttp,
    CredentialStore credentials,
    RetryPolicy retry,
    int chunkSize,
    Set<String> tokenRealms) {

  public static final int DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

  public RegistrySettings {
    if (chunkSize < 64 * 1024) {
      throw new IllegalArgumentException("upload chunk size must be at least 64 KiB");
    }
    tokenRealms =
        Set.copyOf(tokenRealms.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList());
  }

  /** With no token realm allowed beyond the registries' own domains. */
  public RegistrySettings(
      NetSettings net,
      PlainHttp plainHttp,
      CredentialStore credentials,
      RetryPolicy retry,
      int chunkSize) {
    this(net, plainHttp, credentials, retry, chunkSize, Set.of());
  }

  /** Which registries are spoken to over plain HTTP: all of them, or the named ones. */
  public record PlainHttp(boolean all, Set<String> registries) {
    public PlainHttp {
      registries =
          Set.copyOf(registries.stream().map(r -> r.strip().toLowerCase(Locale.ROOT)).toList());
    }

    public static PlainHttp none() {
      return new PlainHttp(false, Set.of());
    }

    public static PlainHttp everywhere() {
      return new PlainHttp(true, Set.of());
    }

    public boolean appliesTo(String registry) {
      return all || registries.contains(registry.toLowerCase(Locale.ROOT));
    }
  }
}
