/**
 * YAML in and out: the manifests an operator applies, and the multi-document YAML {@code kubectl
 * apply} accepts.
 */
@NullMarked
package io.stowage.serving.manifest;

import org.jspecify.annotations.NullMarked;
