/** Tests of {@code stowage render}. */
@NullMarked
package io.stowage.cli.render;

import org.jspecify.annotations.NullMarked;
