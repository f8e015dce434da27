/** Tests of credential wiring. */
@NullMarked
package io.stowage.serving.credentials;

import org.jspecify.annotations.NullMarked;
