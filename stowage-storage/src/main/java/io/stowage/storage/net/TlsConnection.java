package io.stowage.storage.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * A TLS connection on JSSE's {@link SSLSocket}. Aborts close the raw socket underneath, which
 * unblocks a reader without waiting for the TLS layer's locks.
 */
final class TlsConnection extends Connection {
  private final Socket raw;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] scratch = new byte[64 * 1024];

  TlsConnection(Origin origin, boolean viaProxy, Duration readTimeout, Socket raw, SSLSocket tls)
      throws IOException {
    super(origin, viaProxy, readTimeout);
    this.raw = raw;
    this.in = tls.getInputStream();
    this.out = tls.getOutputStream();
  }

  @Override
  int readTransport(ByteBuffer dst) throws IOException {
    if (dst.hasArray()) {
      int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
      if (n > 0) {
        dst.position(dst.position() + n);
      }
      return n;
    }
    int n = in.read(scratch, 0, Math.min(scratch.length, dst.remaining()));
    if (n > 0) {
      dst.put(scratch, 0, n);
    }
    return n;
  }

  @Override
  void writeTransport(ByteBuffer src) throws IOException {
    if (src.hasArray()) {
      out.write(src.array(), src.arrayOffset() + src.position(), src.remaining());
      src.position(src.limit());
    } else {
      byte[] copy = new byte[src.remaining()];
      src.get(copy);
      out.write(copy);
    }
    out.flush();
  }

  @Override
  void writeFileTransport(FileChannel file, long position, long length) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(scratch);
    long sent = 0;
    while (sent < length) {
      buf.clear();
      buf.limit((int) Math.min(scratch.length, length - sent));
      int n = file.read(buf, position + sent);
      if (n < 0) {
        throw new java.io.EOFException("file ended while sending it");
      }
      out.write(scratch, 0, n);
      sent += n;
      touch();
    }
    out.flush();
  }

  @Override
  void closeTransport() {
    try {
      raw.close();
    } catch (IOException ignored) {
      // Best effort; the connection is discarded either way.
    }
  }

  @Override
  boolean isOpen() {
    return !raw.isClosed();
  }
}
