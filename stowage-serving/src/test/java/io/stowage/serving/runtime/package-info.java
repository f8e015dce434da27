/** Tests of the runtime package. */
@NullMarked
package io.stowage.serving.runtime;

import org.jspecify.annotations.NullMarked;
