package io.stowage.storage;

import org.jspecify.annotations.Nullable;

/**
 * A failure with a class and one line a person can act on. The message never contains secrets; it
 * becomes the termination message of the init container.
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Failure failure;

  public StorageException(Failure failure, String message) {
    this(failure, message, null);
  }

  public StorageException(Failure failure, String message, @Nullable Throwable cause) {
    super(oneLine(message), cause);
    this.failure = failure;
  }

  /**
   * The message with line breaks and tabs as spaces and other control characters as {@code ?}:
   * whatever it quotes (a name from a listing, a parser's message), a failure stays the one line
   * the termination message and the log promise, and cannot forge log lines.
   */
  private static String oneLine(String message) {
    StringBuilder out = null;
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      boolean control = c < 0x20 || c == 0x7f;
      if (control && out == null) {
        out = new StringBuilder(message.length()).append(message, 0, i);
      }
      if (out != null) {
        out.append(!control ? c : (c == '\n' || c == '\r' || c == '\t') ? ' ' : '?');
      }
    }
    return out == null ? message : out.toString();
  }

  public Failure failure() {
    return failure;
  }

  public static StorageException usage(String message) {
    return new StorageException(Failure.USAGE, message);
  }

  public static StorageException notFound(String message) {
    return new StorageException(Failure.NOT_FOUND, message);
  }

  public static StorageException unsafe(String message) {
    return new StorageException(Failure.UNSAFE_SOURCE, message);
  }

  public static StorageException integrity(String message) {
    return new StorageException(Failure.INTEGRITY, message);
  }

  public static StorageException disk(String message, @Nullable Throwable cause) {
    return new StorageException(Failure.DISK, message, cause);
  }
}
