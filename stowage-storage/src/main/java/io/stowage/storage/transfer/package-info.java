/**
 * The transfer engine: plan files into parts, fetch parts in parallel into staging files on the
 * destination's filesystem, verify, publish atomically, and journal progress so that a restart
 * resumes instead of starting over.
 */
@NullMarked
package io.stowage.storage.transfer;

import org.jspecify.annotations.NullMarked;
