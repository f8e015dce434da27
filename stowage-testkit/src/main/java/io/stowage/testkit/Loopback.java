package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** The one address every testkit server binds to, and a way to find a free port on it. */
final class Loopback {

  /**
   * Always IPv4 127.0.0.1, not {@link InetAddress#getLoopbackAddress()}: that one may be ::1 when
   * IPv6 is preferred, and the endpoints we hand out spell the address literally.
   */
  static final InetAddress ADDRESS = ipv4Loopback();

  static final String HOST = "127.0.0.1";

  private Loopback() {}

  /**
   * A port that was free a moment ago. Only for servers we cannot hand a bound socket to (a child
   * process); there is a small race with other processes, so callers retry on a bind failure.
   */
  static int freePort() {
    try (ServerSocket probe = new ServerSocket(0, 1, ADDRESS)) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + HOST, e);
    }
  }

  /** A server socket bound to a kernel-chosen free port, so there is no race at all. */
  static ServerSocket bindFreePort() throws IOException {
    return new ServerSocket(0, 128, ADDRESS);
  }

  /**
   * After a failed accept (out of file descriptors, say): do not spin, and keep serving once the
   * cause clears.
   */
  static void pauseAfterAcceptFailure() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static InetAddress ipv4Loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError("a four-byte address is always valid", e);
    }
  }
}
