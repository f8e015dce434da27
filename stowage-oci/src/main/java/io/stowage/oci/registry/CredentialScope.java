package io.stowage.oci.registry;

import io.stowage.storage.net.Origin;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Where one registry's credentials may be sent. A registry names its token realm and its upload
 * locations itself, so a hostile or compromised registry (or a man in the middle of a plain-HTTP
 * one) could otherwise send a user's password anywhere.
 *
 * <ul>
 *   <li>Requests to the registry carry its credentials (Basic, or the bearer token) only when they
 *       go to the registry's own origin: scheme, host and port.
 *   <li>A token request carrying credentials goes to a realm on https whose host is the registry's
 *       host, under it, or in the registry's parent domain when that has at least two labels
 *       ({@code registry-1.docker.io} → {@code auth.docker.io}; {@code registry.gitlab.com} →
 *       {@code gitlab.com}); or to a host listed in {@code STOWAGE_OCI_TOKEN_REALMS}, on https. A
 *       registry given by IP address or a single-label name ({@code localhost}) has no domain: its
 *       host only.
 *   <li>Plain HTTP: only when the registry itself is plain HTTP, and only to its host (any port:
 *       test registries with their realm beside them on loopback).
 * </ul>
 *
 * <p>The domain rule knows no public-suffix list: two registries under one shared suffix of two
 * labels ({@code a.co.uk}, {@code b.co.uk}) count as one domain. Registries live on hosts their
 * operator controls, so this errs only where such a suffix is shared.
 */
final class CredentialScope {
  private final Origin registry;
  private final Set<String> allowedRealmHosts;

  /**
   * @param allowedRealmHosts hosts (lower case) that may receive credentials as token realms on
   *     https, whatever their domain
   */
  CredentialScope(Origin registry, Set<String> allowedRealmHosts) {
    this.registry = registry;
    this.allowedRealmHosts = Set.copyOf(allowedRealmHosts);
  }

  /** Whether a request to {@code o} may carry the registry's credentials or token. */
  boolean isRegistry(Origin o) {
    return o.equals(registry);
  }

  /** Whether a token request to {@code realm} may carry the registry's credentials. */
  boolean mayReceive(URI realm) {
    Origin o = Origin.of(realm);
    String host = lower(o.host());
    String own = lower(registry.host());
    if (!o.isTls()) {
      return !registry.isTls() && host.equals(own);
    }
    return host.equals(own)
        || allowedRealmHosts.contains(host)
        || (isDomainName(own) && (host.endsWith("." + own) || inParentDomain(host, own)));
  }

  private static boolean inParentDomain(String host, String own) {
    int dot = own.indexOf('.');
    String parent = own.substring(dot + 1);
    return parent.indexOf('.') > 0 && (host.equals(parent) || host.endsWith("." + parent));
  }

  /** A DNS name of at least two labels; not an IP address, not {@code localhost}. */
  private static boolean isDomainName(String host) {
    if (host.indexOf(':') >= 0 || host.indexOf('.') <= 0) {
      return false;
    }
    String last = host.substring(host.lastIndexOf('.') + 1);
    return !last.isEmpty() && !last.chars().allMatch(Character::isDigit);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
