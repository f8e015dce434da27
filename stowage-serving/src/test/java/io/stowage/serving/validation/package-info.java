/** Tests of the validation package. */
@NullMarked
package io.stowage.serving.validation;

import org.jspecify.annotations.NullMarked;
