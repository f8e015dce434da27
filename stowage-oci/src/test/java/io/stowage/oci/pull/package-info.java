@NullMarked
package io.stowage.oci.pull;

import org.jspecify.annotations.NullMarked;
