package io.stowage.testkit;

/**
 * What a {@link FaultProxy} does to the bytes flowing from the upstream server back to the client.
 * The request direction is always forwarded untouched, so a fault looks like a server or network
 * failing mid-response, which is what a downloader has to survive.
 */
public sealed interface Fault
    permits Fault.None, Fault.DropAfter, Fault.StallAfter, Fault.Throttle, Fault.Refuse {

  /** Forward everything, as fast as it comes. */
  record None() implements Fault {}

  /**
   * The next {@code connections} accepted connections are reset (RST, not a clean FIN) once {@code
   * bytes} bytes have reached the client. With {@code bytes == 0} the reset comes when the server
   * starts answering, so the request is seen upstream but no response byte arrives. A connection
   * whose response is shorter than {@code bytes} ends normally.
   */
  record DropAfter(long bytes, int connections) implements Fault {
    public DropAfter {
      requireCountable(bytes, connections);
    }
  }

  /**
   * The next {@code connections} accepted connections stop forwarding once {@code bytes} bytes have
   * reached the client, and stay open and silent until the client gives up and closes, or the proxy
   * is closed. This is what makes read timeouts fire.
   */
  record StallAfter(long bytes, int connections) implements Fault {
    public StallAfter {
      requireCountable(bytes, connections);
    }
  }

  /** All connections accepted while this is set share a budget of {@code bytesPerSecond}. */
  record Throttle(long bytesPerSecond) implements Fault {
    public Throttle {
      if (bytesPerSecond <= 0) {
        throw new IllegalArgumentException(
            "bytesPerSecond must be positive, got " + bytesPerSecond);
      }
    }
  }

  /** Accepts each connection and resets it at once, like a server that is not there. */
  record Refuse() implements Fault {}

  static Fault none() {
    return new None();
  }

  static Fault refuse() {
    return new Refuse();
  }

  private static void requireCountable(long bytes, int connections) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
    }
    if (connections <= 0) {
      throw new IllegalArgumentException("connections must be positive, got " + connections);
    }
  }
}
