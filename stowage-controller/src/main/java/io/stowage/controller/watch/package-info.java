/** What changes trigger which reconciles: informers and their secondary-to-primary mappings. */
@NullMarked
package io.stowage.controller.watch;

import org.jspecify.annotations.NullMarked;
