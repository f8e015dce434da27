/**
 * Where models live and how bytes move. The failure model shared by every source lives here: {@link
 * io.stowage.storage.Failure} classes and the one {@link io.stowage.storage.StorageException} that
 * carries them.
 */
@NullMarked
package io.stowage.storage;

import org.jspecify.annotations.NullMarked;
