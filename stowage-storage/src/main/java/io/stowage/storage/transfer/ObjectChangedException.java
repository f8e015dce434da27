package io.stowage.storage.transfer;

import java.io.IOException;

/**
 * A response shows that the object is no longer the version that was listed: another validator
 * (ETag, Last-Modified) or another total size. Retrying cannot help and keeping the bytes would mix
 * two versions in one file, so the engine ends the run with an integrity failure; a rerun lists the
 * new version and fetches it from scratch (the journal only resumes bytes of the same version).
 */
public final class ObjectChangedException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param what the object, safe to print
   * @param detail what differs ("ETag \"v2\", listed \"v1\"")
   */
  public ObjectChangedException(String what, String detail) {
    super(what + " changed during the download (" + detail + ")");
  }
}
