/** Tests of the serving planner. */
@NullMarked
package io.stowage.serving;

import org.jspecify.annotations.NullMarked;
