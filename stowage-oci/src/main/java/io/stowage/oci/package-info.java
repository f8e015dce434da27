/**
 * OCI images for models: image references, digests, descriptors, manifests and indexes, as the OCI
 * image and distribution specifications define them.
 *
 * <p>{@link io.stowage.oci.registry} talks to registries, {@link io.stowage.oci.pack} builds and
 * pushes modelcar images, {@link io.stowage.oci.pull} materializes the {@code /models} tree of an
 * image in a directory, {@link io.stowage.oci.verify} checks a materialized model.
 */
@NullMarked
package io.stowage.oci;

import org.jspecify.annotations.NullMarked;
