/**
 * {@code stowage pull}: a model from any storage URI (an image's /models for oci://) into a
 * directory.
 */
@NullMarked
package io.stowage.cli.pull;

import org.jspecify.annotations.NullMarked;
