@NullMarked
package io.stowage.oci;

import org.jspecify.annotations.NullMarked;
