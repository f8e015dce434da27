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
    super(message, cause);
    this.failure = failure;
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
