package io.stowage.storage.net;

import java.io.IOException;
import java.time.Duration;

/** An exchange was aborted because no byte moved for longer than the read timeout. */
public final class StallException extends IOException {
  private static final long serialVersionUID = 1L;

  public StallException(Origin origin, Duration timeout) {
    super("no data from " + origin + " for " + timeout.toSeconds() + " s");
  }
}
