/** Tests of {@code stowage quickstart}. */
@NullMarked
package io.stowage.cli.quickstart;

import org.jspecify.annotations.NullMarked;
