package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries TCP connections between 127.0.0.1 of two network namespaces through Unix sockets in a
 * shared folder: a listener on one side's loopback forwards each connection to a Unix socket, and
 * the other side forwards what arrives there to its own loopback. Nothing but loopback and the file
 * system is involved.
 *
 * <p>Why: KServe's manager binds its webhook server to every interface (controller-runtime's {@code
 * webhook.Options.Host} is empty and its {@code main} has no flag for it), so it runs in a network
 * namespace of its own whose only interface is {@code lo}, and this bridge connects that loopback
 * to the test's.
 *
 * <p>Inside the namespace it runs as a program: {@code NamespaceBridge [tcp:PORT=unix:PATH |
 * unix:PATH=tcp:PORT]... -- COMMAND...} opens the forwards, then runs COMMAND as its child and
 * exits with its exit code (destroying it when the JVM is told to stop).
 */
public final class NamespaceBridge implements AutoCloseable {
  private static final DaemonThreads THREADS = new DaemonThreads("namespace-bridge");
  private final List<ServerSocketChannel> listeners = new ArrayList<>();

  /** 127.0.0.1:{@code port} of this namespace to the Unix socket {@code target}. */
  public NamespaceBridge tcpToUnix(int port, Path target) {
    return listen(
        new InetSocketAddress(Loopback.ADDRESS, port),
        StandardProtocolFamily.INET,
        UnixDomainSocketAddress.of(target),
        StandardProtocolFamily.UNIX);
  }

  /** The Unix socket {@code socket} (created) to 127.0.0.1:{@code port} of this namespace. */
  public NamespaceBridge unixToTcp(Path socket, int port) {
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the stale socket " + socket, e);
    }
    return listen(
        UnixDomainSocketAddress.of(socket),
        StandardProtocolFamily.UNIX,
        new InetSocketAddress(Loopback.ADDRESS, port),
        StandardProtocolFamily.INET);
  }

  private NamespaceBridge listen(
      SocketAddress local,
      StandardProtocolFamily localFamily,
      SocketAddress target,
      StandardProtocolFamily targetFamily) {
    try {
      ServerSocketChannel listener = ServerSocketChannel.open(localFamily).bind(local, 64);
      listeners.add(listener);
      start(
          () -> {
            while (listener.isOpen()) {
              try {
                SocketChannel in = listener.accept();
                start(() -> connect(in, target, targetFamily));
              } catch (IOException closed) {
                return;
              }
            }
          });
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + local, e);
    }
  }

  private static void connect(
      SocketChannel in, SocketAddress target, StandardProtocolFamily family) {
    try (in;
        SocketChannel out = SocketChannel.open(family)) {
      out.connect(target);
      Thread back = start(() -> pump(out, in));
      pump(in, out);
      back.join();
    } catch (IOException | InterruptedException refused) {
      // The other side is not listening (yet): the caller sees a closed connection and retries.
    }
  }

  /** Copies until end of stream, then half-closes, so TLS close_notify and EOF pass through. */
  private static void pump(SocketChannel from, SocketChannel to) {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    try {
      while (from.read(buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          to.write(buffer);
        }
        buffer.clear();
      }
      to.shutdownOutput();
    } catch (IOException broken) {
      try {
        to.close();
        from.close();
      } catch (IOException ignored) {
        // Already closed.
      }
    }
  }

  private static Thread start(Runnable task) {
    Thread thread = THREADS.newThread(task);
    thread.start();
    return thread;
  }

  @Override
  public void close() {
    for (ServerSocketChannel listener : listeners) {
      try {
        listener.close();
      } catch (IOException ignored) {
        // Closing anyway.
      }
    }
  }

  /** The namespace side: forwards, then the command. */
  public static void main(String[] args) throws Exception {
    NamespaceBridge bridge = new NamespaceBridge();
    int i = 0;
    for (; i < args.length && !args[i].equals("--"); i++) {
      String[] sides = args[i].split("=", 2);
      if (sides[0].startsWith("tcp:")) {
        bridge.tcpToUnix(Integer.parseInt(sides[0].substring(4)), Path.of(sides[1].substring(5)));
      } else {
        bridge.unixToTcp(Path.of(sides[0].substring(5)), Integer.parseInt(sides[1].substring(4)));
      }
    }
    List<String> command = List.of(args).subList(i + 1, args.length);
    Process child = new ProcessBuilder(command).inheritIO().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> JdkTools.stop(child)));
    System.exit(child.waitFor());
  }
}
