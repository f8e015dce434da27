package io.stowage.testkit;

import org.jspecify.annotations.Nullable;

/**
 * The proxy's current {@link Fault}, handed out connection by connection: count-limited faults are
 * used up by the connections they hit, then the plan falls back to {@link Fault.None}.
 */
final class FaultPlan {

  private Fault current = Fault.none();
  private int connectionsLeft;
  private @Nullable SharedRateLimiter limiter;

  synchronized void set(Fault fault) {
    current = fault;
    connectionsLeft = 0;
    limiter = null;
    if (fault instanceof Fault.DropAfter drop) {
      connectionsLeft = drop.connections();
    } else if (fault instanceof Fault.StallAfter stall) {
      connectionsLeft = stall.connections();
    } else if (fault instanceof Fault.Throttle throttle) {
      // One limiter for every connection accepted under this setting: they share the rate.
      limiter = new SharedRateLimiter(throttle.bytesPerSecond());
    }
  }

  synchronized Fault current() {
    return current;
  }

  /**
   * The fault for a connection just accepted; uses up one of a count-limited fault's connections.
   */
  synchronized ConnectionFault nextConnection() {
    if (current instanceof Fault.DropAfter drop) {
      useOneConnection();
      return new ConnectionFault(ConnectionFault.Action.DROP, drop.bytes(), null);
    }
    if (current instanceof Fault.StallAfter stall) {
      useOneConnection();
      return new ConnectionFault(ConnectionFault.Action.STALL, stall.bytes(), null);
    }
    if (current instanceof Fault.Refuse) {
      return ConnectionFault.REFUSE;
    }
    if (limiter != null) {
      return new ConnectionFault(ConnectionFault.Action.FORWARD, 0, limiter);
    }
    return ConnectionFault.NONE;
  }

  private void useOneConnection() {
    connectionsLeft--;
    if (connectionsLeft <= 0) {
      set(Fault.none());
    }
  }
}
