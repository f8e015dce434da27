/** Storage URIs: parsed once into one sealed type, one record per scheme. */
@NullMarked
package io.stowage.storage.uri;

import org.jspecify.annotations.NullMarked;
