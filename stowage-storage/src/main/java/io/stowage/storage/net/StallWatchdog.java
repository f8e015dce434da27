package io.stowage.storage.net;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Aborts exchanges that have not moved a byte for longer than the read timeout. Plain channels in
 * blocking mode ignore socket timeouts, and a slow trickle defeats them anyway; one daemon thread
 * looking at every busy connection catches both, for plain and TLS alike.
 */
final class StallWatchdog implements AutoCloseable {
  private final Set<Connection> busy = ConcurrentHashMap.newKeySet();
  private final long timeoutNanos;
  private final Thread thread;
  private volatile boolean running = true;

  StallWatchdog(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    long tickMillis = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
    this.thread =
        new Thread(
            () -> {
              while (running) {
                try {
                  Thread.sleep(tickMillis);
                } catch (InterruptedException e) {
                  return;
                }
                sweep();
              }
            },
            "stowage-stall-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  void watch(Connection c) {
    c.touch();
    busy.add(c);
  }

  void forget(Connection c) {
    busy.remove(c);
  }

  private void sweep() {
    long now = System.nanoTime();
    busy.removeIf(
        c -> {
          if (now - c.lastActivityNanos() <= timeoutNanos) {
            return false;
          }
          c.abortStalled();
          return true;
        });
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
