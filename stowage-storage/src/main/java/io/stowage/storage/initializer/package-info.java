/**
 * The storage initializer: KServe's {@code SRC DEST [SRC DEST ...]} contract on top of the sources
 * and the transfer engine.
 */
@NullMarked
package io.stowage.storage.initializer;

import org.jspecify.annotations.NullMarked;
