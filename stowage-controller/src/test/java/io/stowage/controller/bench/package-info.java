/** The controller benchmark's harness (bench/controller.sh); not a test. */
@NullMarked
package io.stowage.controller.bench;

import org.jspecify.annotations.NullMarked;
