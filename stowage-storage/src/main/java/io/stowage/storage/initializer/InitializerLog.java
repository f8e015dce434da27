package io.stowage.storage.initializer;

/** Where the initializer's log lines go; the command line prints them on stderr. */
public interface InitializerLog {
  void info(String message);

  void warn(String message);
}
