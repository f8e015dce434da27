/**
 * {@code stowage pack}: a model directory becomes an OCI image (a base image's layers plus the
 * model under {@code /models}, one large file per layer, small files grouped), built reproducibly
 * from the files as they are, without a container engine and without a staging copy, and pushed to
 * a registry in parallel with existence checks, cross-repository mounts and chunked uploads.
 */
@NullMarked
package io.stowage.oci.pack;

import org.jspecify.annotations.NullMarked;
