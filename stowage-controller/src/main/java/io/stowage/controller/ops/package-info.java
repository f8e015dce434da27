/** Running the controller: settings, leader election, health, readiness and Prometheus metrics. */
@NullMarked
package io.stowage.controller.ops;

import org.jspecify.annotations.NullMarked;
