/** Tests of the api package. */
@NullMarked
package io.stowage.serving.api;

import org.jspecify.annotations.NullMarked;
