package io.stowage.storage.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/** A plain TCP connection on a blocking NIO channel: reads land directly in the caller's buffer. */
final class PlainConnection extends Connection {
  private final SocketChannel channel;

  PlainConnection(Origin origin, boolean viaProxy, Duration readTimeout, SocketChannel channel) {
    super(origin, viaProxy, readTimeout);
    this.channel = channel;
  }

  @Override
  int readTransport(ByteBuffer dst) throws IOException {
    return channel.read(dst);
  }

  @Override
  void writeTransport(ByteBuffer src) throws IOException {
    channel.write(src);
  }

  @Override
  void closeTransport() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing is best effort; the connection is discarded either way.
    }
  }

  @Override
  boolean isOpen() {
    return channel.isOpen();
  }
}
