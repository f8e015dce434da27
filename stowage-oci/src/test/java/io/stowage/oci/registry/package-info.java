@NullMarked
package io.stowage.oci.registry;

import org.jspecify.annotations.NullMarked;
