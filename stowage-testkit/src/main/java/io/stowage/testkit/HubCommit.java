package io.stowage.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One commit of a {@link HubServer} repository: an immutable snapshot of its files, with the git
 * ids of every directory, computed as git would.
 */
final class HubCommit {

  /** A file or directory as the tree API lists it; {@code file} is null for directories. */
  record Entry(String path, String oid, @Nullable HubFile file) {
    boolean isDirectory() {
      return file == null;
    }
  }

  final String sha;
  final @Nullable String parent;
  final Instant time;
  final SortedMap<String, HubFile> files;

  /** Every file and directory but the root, sorted by path. */
  private final List<Entry> entries;

  private final Map<String, String> directoryOids;

  private HubCommit(
      String sha,
      @Nullable String parent,
      Instant time,
      SortedMap<String, HubFile> files,
      List<Entry> entries,
      Map<String, String> directoryOids) {
    this.sha = sha;
    this.parent = parent;
    this.time = time;
    this.files = files;
    this.entries = entries;
    this.directoryOids = directoryOids;
  }

  static HubCommit create(
      SortedMap<String, HubFile> files, @Nullable String parent, Instant time, String message) {
    // Every directory (the root is "") and the items directly inside it.
    Map<String, List<GitObjects.TreeItem>> items = new HashMap<>();
    items.put("", new ArrayList<>());
    TreeSet<String> directories = new TreeSet<>();
    directories.add("");
    for (HubFile file : files.values()) {
      String dir = parentOf(file.path);
      items
          .computeIfAbsent(dir, d -> new ArrayList<>())
          .add(new GitObjects.TreeItem(nameOf(file.path), false, file.oid));
      for (String d = dir; !d.isEmpty(); d = parentOf(d)) {
        directories.add(d);
        items.computeIfAbsent(d, x -> new ArrayList<>());
      }
    }
    // Deepest first, so that a directory's subdirectories have their ids when it is hashed.
    List<String> deepestFirst = new ArrayList<>(directories);
    deepestFirst.sort(Comparator.comparingInt(HubCommit::depth).reversed());
    Map<String, String> directoryOids = new HashMap<>();
    for (String dir : deepestFirst) {
      String oid = GitObjects.treeOid(Objects.requireNonNull(items.get(dir)));
      directoryOids.put(dir, oid);
      if (!dir.isEmpty()) {
        Objects.requireNonNull(items.get(parentOf(dir)))
            .add(new GitObjects.TreeItem(nameOf(dir), true, oid));
      }
    }
    TreeMap<String, Entry> byPath = new TreeMap<>();
    for (String dir : directories) {
      if (!dir.isEmpty()) {
        byPath.put(dir, new Entry(dir, Objects.requireNonNull(directoryOids.get(dir)), null));
      }
    }
    for (HubFile file : files.values()) {
      byPath.put(file.path, new Entry(file.path, file.oid, file));
    }
    String sha =
        GitObjects.commitOid(
            Objects.requireNonNull(directoryOids.get("")), parent, time.getEpochSecond(), message);
    return new HubCommit(
        sha,
        parent,
        time,
        Collections.unmodifiableSortedMap(new TreeMap<>(files)),
        List.copyOf(byPath.values()),
        Map.copyOf(directoryOids));
  }

  /** The root tree's id. */
  String treeOid() {
    return Objects.requireNonNull(directoryOids.get(""));
  }

  boolean isDirectory(String path) {
    return directoryOids.containsKey(path);
  }

  /**
   * What the tree API lists for {@code directory} ("" for the root): its direct children, or
   * everything below it when {@code recursive}.
   */
  List<Entry> list(String directory, boolean recursive) {
    String prefix = directory.isEmpty() ? "" : directory + "/";
    List<Entry> listed = new ArrayList<>();
    for (Entry entry : entries) {
      if (entry.path().startsWith(prefix)
          && (recursive || entry.path().indexOf('/', prefix.length()) < 0)) {
        listed.add(entry);
      }
    }
    return listed;
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static int depth(String dir) {
    if (dir.isEmpty()) {
      return 0;
    }
    int depth = 1;
    for (int i = 0; i < dir.length(); i++) {
      if (dir.charAt(i) == '/') {
        depth++;
      }
    }
    return depth;
  }
}
