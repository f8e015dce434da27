/** Unit tests of the controller's pure parts. */
@NullMarked
package io.stowage.controller.reconcile;

import org.jspecify.annotations.NullMarked;
