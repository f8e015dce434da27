/** Placeholder. */
@NullMarked
package io.stowage.oci.verify;

import org.jspecify.annotations.NullMarked;
