/** Unit tests of the controller's pure parts. */
@NullMarked
package io.stowage.controller.status;

import org.jspecify.annotations.NullMarked;
