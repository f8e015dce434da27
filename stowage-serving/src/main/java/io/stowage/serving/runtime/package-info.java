/**
 * Which ServingRuntime or ClusterServingRuntime serves an InferenceService: explicit names and
 * auto-selection.
 */
@NullMarked
package io.stowage.serving.runtime;

import org.jspecify.annotations.NullMarked;
