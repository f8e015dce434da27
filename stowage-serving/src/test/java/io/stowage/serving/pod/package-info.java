/** Tests of the pod package. */
@NullMarked
package io.stowage.serving.pod;

import org.jspecify.annotations.NullMarked;
