/** Tests of the manifest package. */
@NullMarked
package io.stowage.serving.manifest;

import org.jspecify.annotations.NullMarked;
