package io.stowage.testkit;

import org.jspecify.annotations.Nullable;

/**
 * What one accepted connection of a {@link FaultProxy} will suffer, fixed at accept time so that
 * changing the proxy's fault later does not disturb connections already running.
 *
 * @param action what happens at {@code afterBytes}
 * @param afterBytes bytes to forward to the client before the action; ignored for {@code FORWARD}
 * @param limiter the shared rate budget, or null for full speed
 */
record ConnectionFault(Action action, long afterBytes, @Nullable SharedRateLimiter limiter) {

  enum Action {
    FORWARD,
    DROP,
    STALL,
    REFUSE
  }

  static final ConnectionFault NONE = new ConnectionFault(Action.FORWARD, 0, null);
  static final ConnectionFault REFUSE = new ConnectionFault(Action.REFUSE, 0, null);

  /** Whether the fault cuts in once {@link #afterBytes()} bytes have gone to the client. */
  boolean hasCutoff() {
    return action == Action.DROP || action == Action.STALL;
  }
}
