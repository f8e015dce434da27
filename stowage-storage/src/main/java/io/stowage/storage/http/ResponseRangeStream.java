package io.stowage.storage.http;

import io.stowage.storage.net.HttpResponse;
import io.stowage.storage.transfer.RangeStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/** The body of a ranged GET as the transfer engine reads it: every HTTP-based source's stream. */
public final class ResponseRangeStream implements RangeStream {
  private final HttpResponse response;
  private final boolean md5Trustworthy;

  /**
   * @param md5Trustworthy false when the server says the version tag is not the content's MD5
   */
  public ResponseRangeStream(HttpResponse response, boolean md5Trustworthy) {
    this.response = response;
    this.md5Trustworthy = md5Trustworthy;
  }

  public ResponseRangeStream(HttpResponse response) {
    this(response, true);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return response.read(dst);
  }

  @Override
  public void abort() {
    response.abort();
  }

  @Override
  public boolean md5Trustworthy() {
    return md5Trustworthy;
  }

  @Override
  public void close() {
    response.close();
  }
}
