/** A small SLF4J provider writing one line per event to stderr, selected only by the controller. */
@NullMarked
package io.stowage.controller.logging;

import org.jspecify.annotations.NullMarked;
