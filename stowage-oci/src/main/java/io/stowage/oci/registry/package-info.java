/**
 * The OCI Distribution API on Stowage's own HTTP/1.1 client ({@link io.stowage.storage.net}):
 * blobs, uploads, mounts, manifests, and the registry authentication flows (anonymous, basic, the
 * {@code WWW-Authenticate} bearer-token challenge), with credentials from Docker's {@code
 * config.json} and its credential helpers.
 */
@NullMarked
package io.stowage.oci.registry;

import org.jspecify.annotations.NullMarked;
