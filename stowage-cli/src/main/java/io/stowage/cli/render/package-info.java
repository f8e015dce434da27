/** {@code stowage render}: the serving planner on files instead of a cluster. */
@NullMarked
package io.stowage.cli.render;

import org.jspecify.annotations.NullMarked;
