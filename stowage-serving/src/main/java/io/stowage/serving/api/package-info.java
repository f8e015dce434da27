/**
 * The parts of {@code serving.kserve.io} the planner reads, as records; fields the planner does not
 * know are kept, not dropped.
 */
@NullMarked
package io.stowage.serving.api;

import org.jspecify.annotations.NullMarked;
