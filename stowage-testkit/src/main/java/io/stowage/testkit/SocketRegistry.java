package io.stowage.testkit;

import java.io.IOException;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sockets a server has open, so that closing the server can close them all; closing a socket is
 * also the only reliable way to wake a thread blocked reading it.
 */
final class SocketRegistry {

  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  void register(Socket socket) {
    open.add(socket);
  }

  void close(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException alreadyBroken) {
      // Closing is all we wanted.
    }
  }

  void closeAll() {
    open.forEach(this::close);
  }
}
