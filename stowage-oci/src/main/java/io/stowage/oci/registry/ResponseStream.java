package io.stowage.oci.registry;

import io.stowage.storage.net.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** A response body as an {@link InputStream}; closing it closes the response. */
public final class ResponseStream extends InputStream {
  private final HttpResponse response;

  public ResponseStream(HttpResponse response) {
    this.response = response;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n;
    do {
      n = read(one, 0, 1);
    } while (n == 0);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    return response.read(ByteBuffer.wrap(b, off, len));
  }

  @Override
  public void close() {
    response.close();
  }
}
