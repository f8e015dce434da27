/** One reconcile: read a snapshot from the caches, plan, apply, delete what the plan dropped. */
@NullMarked
package io.stowage.controller.reconcile;

import org.jspecify.annotations.NullMarked;
