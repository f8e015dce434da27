package io.stowage.oci.registry;

/** Where a registry's credentials come from. */
@FunctionalInterface
public interface CredentialStore {

  /** The credentials for {@code registry} ({@code host[:port]}), anonymous when there are none. */
  Credentials forRegistry(String registry);

  static CredentialStore anonymous() {
    return registry -> new Credentials.Anonymous();
  }
}
