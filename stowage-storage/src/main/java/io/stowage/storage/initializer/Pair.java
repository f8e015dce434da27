package io.stowage.storage.initializer;

import io.stowage.storage.StorageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One {@code SRC DEST} pair of the initializer's arguments. */
public record Pair(String source, Path destination) {

  /**
   * KServe's argument contract: {@code SRC DEST [SRC DEST ...]}, at least one pair.
   *
   * @throws StorageException of class USAGE for an empty or odd argument list or an empty part
   */
  public static List<Pair> fromArguments(List<String> args) {
    if (args.size() < 2 || args.size() % 2 != 0) {
      throw StorageException.usage(
          "Usage: stowage initialize SRC_URI DEST_PATH [SRC_URI DEST_PATH ...] (got "
              + args.size()
              + " argument"
              + (args.size() == 1 ? "" : "s")
              + ")");
    }
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < args.size(); i += 2) {
      String src = args.get(i).strip();
      String dest = args.get(i + 1).strip();
      if (src.isEmpty() || dest.isEmpty()) {
        throw StorageException.usage(
            "Argument pair " + (i / 2 + 1) + " has an empty source or destination");
      }
      pairs.add(new Pair(src, Path.of(dest)));
    }
    return pairs;
  }
}
