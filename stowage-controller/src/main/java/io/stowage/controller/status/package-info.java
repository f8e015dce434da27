/**
 * The InferenceService status as KServe reports it, computed from the plan and the live objects;
 * pure.
 */
@NullMarked
package io.stowage.controller.status;

import org.jspecify.annotations.NullMarked;
