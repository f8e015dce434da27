package io.stowage.oci.registry;

/** What a client presents to a registry. {@code toString} never shows a secret. */
public sealed interface Credentials {

  /** No credentials: anonymous access (public repositories, or registries without auth). */
  record Anonymous() implements Credentials {
    @Override
    public String toString() {
      return "anonymous";
    }
  }

  /** A user name and password (or a registry access token used as a password). */
  record Basic(String username, String password) implements Credentials {
    @Override
    public String toString() {
      return "user " + username;
    }
  }

  /**
   * An OAuth2 refresh token Docker stores as {@code identitytoken} (for example after {@code docker
   * login} to Azure Container Registry); exchanged at the token realm for access tokens.
   */
  record IdentityToken(String token) implements Credentials {
    @Override
    public String toString() {
      return "identity token";
    }
  }

  /** The secret parts, for the log redactor. */
  default java.util.List<String> secrets() {
    if (this instanceof Basic b) {
      return java.util.List.of(b.password());
    }
    if (this instanceof IdentityToken t) {
      return java.util.List.of(t.token());
    }
    return java.util.List.of();
  }
}
