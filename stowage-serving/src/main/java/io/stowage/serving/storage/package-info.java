/**
 * Storage wiring per URI kind: the storage-initializer init container, PVC mounts, OCI modelcars
 * and image volumes.
 */
@NullMarked
package io.stowage.serving.storage;

import org.jspecify.annotations.NullMarked;
