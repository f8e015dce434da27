package io.stowage.serving.manifest;

/** A manifest cannot be read; the message names the source, the document and the problem. */
public final class ManifestException extends Exception {
  private static final long serialVersionUID = 1L;

  public ManifestException(String message) {
    super(message);
  }
}
