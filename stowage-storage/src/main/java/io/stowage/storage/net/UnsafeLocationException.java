package io.stowage.storage.net;

import java.io.IOException;

/**
 * A server pointed Stowage at a location it will not follow: a redirect from https to plain http,
 * or a listing's next page on another origin. Permanent (retrying gets the same answer) and an
 * unsafe source, exit 8. The message names origins only, never paths or queries.
 */
public final class UnsafeLocationException extends IOException {
  private static final long serialVersionUID = 1L;

  public UnsafeLocationException(String message) {
    super(message);
  }
}
