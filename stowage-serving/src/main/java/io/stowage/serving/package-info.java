/**
 * The serving planner: an InferenceService plus a snapshot of what it depends on, in; the
 * Kubernetes objects KServe's Standard mode would run, or every reason it cannot, out. Pure
 * functions over values: no HTTP, no Kubernetes client I/O.
 */
@NullMarked
package io.stowage.serving;

import org.jspecify.annotations.NullMarked;
