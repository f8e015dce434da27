package io.stowage.storage.http;

import java.io.IOException;

/** A web server answered with a status other than the one asked for. */
public final class HttpStatusException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;
  private final String errorCode;

  public HttpStatusException(int status, String reason, String errorCode, String where) {
    super(
        where
            + " answered "
            + status
            + (reason.isEmpty() ? "" : " " + reason)
            + (errorCode.isEmpty() ? "" : " (" + errorCode + ")"));
    this.status = status;
    this.reason = reason;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  /**
   * A machine-readable error code the server sent (Hugging Face's {@code X-Error-Code}), or empty.
   */
  public String errorCode() {
    return errorCode;
  }

  /** Throttling and server errors may pass; client errors will not. */
  public boolean isRetryable() {
    return status == 429 || status == 408 || status >= 500;
  }
}
