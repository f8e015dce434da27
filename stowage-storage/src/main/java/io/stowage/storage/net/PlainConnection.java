package io.stowage.storage.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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

  /** {@code sendfile}: the bytes go from the page cache to the socket without a user-space copy. */
  @Override
  void writeFileTransport(FileChannel file, long position, long length) throws IOException {
    long sent = 0;
    while (sent < length) {
      long n = file.transferTo(position + sent, Math.min(CHUNK, length - sent), channel);
      if (n <= 0) {
        if (position + sent >= file.size()) {
          throw new java.io.EOFException("file ended while sending it");
        }
        continue;
      }
      sent += n;
      touch();
    }
  }

  private static final long CHUNK = 8L * 1024 * 1024;

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
