/** Tests of storage wiring. */
@NullMarked
package io.stowage.serving.storage;

import org.jspecify.annotations.NullMarked;
