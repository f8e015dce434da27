package io.stowage.storage.net;

import java.io.IOException;

/** Too many redirects, or a redirect without a usable location. */
public final class RedirectException extends IOException {
  private static final long serialVersionUID = 1L;

  public RedirectException(String message) {
    super(message);
  }
}
