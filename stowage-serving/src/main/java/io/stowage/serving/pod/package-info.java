/**
 * Pod-level merging: the runtime's containers and pod fields with the InferenceService's, and
 * template substitution.
 */
@NullMarked
package io.stowage.serving.pod;

import org.jspecify.annotations.NullMarked;
