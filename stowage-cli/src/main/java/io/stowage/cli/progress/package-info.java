/**
 * Progress for people and for scripts: a live display on a terminal, plain periodic lines
 * elsewhere, JSON events on request. The init container never uses this; it logs one line per
 * event.
 */
@NullMarked
package io.stowage.cli.progress;

import org.jspecify.annotations.NullMarked;
