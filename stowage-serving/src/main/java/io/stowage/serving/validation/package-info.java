/**
 * Checks on an InferenceService with KServe's messages; every error for an object is reported
 * together.
 */
@NullMarked
package io.stowage.serving.validation;

import org.jspecify.annotations.NullMarked;
