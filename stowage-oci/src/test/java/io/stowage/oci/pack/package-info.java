@NullMarked
package io.stowage.oci.pack;

import org.jspecify.annotations.NullMarked;
