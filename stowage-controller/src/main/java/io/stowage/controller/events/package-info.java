/** Kubernetes events for the controller's decisions and failures. */
@NullMarked
package io.stowage.controller.events;

import org.jspecify.annotations.NullMarked;
