package io.stowage.storage.net;

import java.io.IOException;

/** The forward proxy refused the request or the tunnel (status 407 or another non-2xx answer). */
public final class ProxyAuthenticationException extends IOException {
  private static final long serialVersionUID = 1L;

  public ProxyAuthenticationException(String message) {
    super(message);
  }
}
