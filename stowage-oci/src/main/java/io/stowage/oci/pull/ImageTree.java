package io.stowage.oci.pull;

import io.stowage.storage.StorageException;
import io.stowage.storage.transfer.ManifestView;
import io.stowage.storage.transfer.RelativePath;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges the layers' stages into the destination as an overlay filesystem would: in layer order,
 * whiteouts remove what lower layers put there, opaque markers empty a directory of lower-layer
 * content, later entries replace earlier ones. Files are moved (renamed) from the stages, never
 * copied.
 *
 * <p>The merged tree is checked before anything is moved: every symbolic link is followed through
 * the merged tree (and what the destination already holds), and no entry may go under a symbolic
 * link of the destination. A refused image therefore leaves the destination as it was.
 */
final class ImageTree {
  private enum Kind {
    DIRECTORY,
    FILE,
    LINK
  }

  private record Node(Kind kind, int layer, long size) {}

  /** A regular file of the merged tree. */
  record MergedFile(RelativePath path, long size) {}

  private final NavigableMap<String, Node> tree = new TreeMap<>();

  private ImageTree() {}

  /**
   * Merges {@code stages} (bottom layer first) into {@code destination}.
   *
   * @param ours files the previous pull of this source left, which may be replaced by directories
   * @return the regular files of the model
   */
  static List<MergedFile> merge(Path destination, List<Path> stages, Set<RelativePath> ours) {
    ImageTree t = new ImageTree();
    for (int i = 0; i < stages.size(); i++) {
      t.overlay(i, stages.get(i));
    }
    t.checkSafe(destination, stages);
    return t.apply(destination, stages, ours);
  }

  private void overlay(int layer, Path stage) {
    List<String> markers = new ArrayList<>();
    Map<String, Node> entries = new TreeMap<>();
    if (!Files.isDirectory(stage, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          stage,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
              if (!dir.equals(stage)) {
                entries.put(rel(stage, dir), new Node(Kind.DIRECTORY, layer, 0));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
              String r = rel(stage, file);
              String name = file.getFileName().toString();
              if (name.startsWith(LayerStage.WHITEOUT) && a.isRegularFile()) {
                markers.add(r);
              } else {
                entries.put(
                    r, new Node(a.isSymbolicLink() ? Kind.LINK : Kind.FILE, layer, a.size()));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw StorageException.disk(
          "Cannot read the staged layer " + stage + ": " + e.getMessage(), e);
    }
    for (String m : markers) {
      int slash = m.lastIndexOf('/');
      String dir = slash < 0 ? "" : m.substring(0, slash);
      String name = m.substring(slash + 1);
      if (name.equals(LayerStage.OPAQUE)) {
        removeBelow(dir);
      } else {
        String victim =
            (dir.isEmpty() ? "" : dir + "/") + name.substring(LayerStage.WHITEOUT.length());
        tree.remove(victim);
        removeBelow(victim);
      }
    }
    for (Map.Entry<String, Node> e : entries.entrySet()) {
      String p = e.getKey();
      Node n = e.getValue();
      // Whatever held a parent's name as a file gives way to the directory.
      for (int slash = p.indexOf('/'); slash >= 0; slash = p.indexOf('/', slash + 1)) {
        Node parent = tree.get(p.substring(0, slash));
        if (parent != null && parent.kind() != Kind.DIRECTORY) {
          tree.remove(p.substring(0, slash));
        }
      }
      Node old = tree.get(p);
      if (n.kind() != Kind.DIRECTORY && old != null && old.kind() == Kind.DIRECTORY) {
        removeBelow(p);
      }
      if (n.kind() == Kind.DIRECTORY && old != null && old.kind() == Kind.DIRECTORY) {
        continue;
      }
      tree.put(p, n);
    }
  }

  /** Removes everything strictly below {@code dir} ({@code ""}: the whole tree). */
  private void removeBelow(String dir) {
    if (dir.isEmpty()) {
      tree.clear();
      return;
    }
    tree.subMap(dir + "/", true, dir + "/\uffff", true).clear();
  }

  private List<MergedFile> apply(Path destination, List<Path> stages, Set<RelativePath> ours) {
    List<MergedFile> files = new ArrayList<>();
    for (Map.Entry<String, Node> e : tree.entrySet()) {
      RelativePath p = new RelativePath(e.getKey());
      Node n = e.getValue();
      Path target = p.resolveUnder(destination);
      ensureParents(destination, p, ours);
      try {
        switch (n.kind()) {
          case DIRECTORY -> ensureDirectory(destination, target, p, ours);
          case FILE -> {
            refuseDirectory(target, p);
            Files.move(
                p.resolveUnder(stages.get(n.layer())),
                target,
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
            files.add(new MergedFile(p, n.size()));
          }
          case LINK -> {
            refuseDirectory(target, p);
            Path link = Files.readSymbolicLink(p.resolveUnder(stages.get(n.layer())));
            Files.deleteIfExists(target);
            Files.createSymbolicLink(target, link);
          }
        }
      } catch (IOException ex) {
        throw StorageException.disk(
            "Cannot place " + p + " in " + destination + ": " + ex.getMessage(), ex);
      }
    }
    return files;
  }

  /** Refuses the image, before anything is placed, if its tree would lead outside the model. */
  private void checkSafe(Path destination, List<Path> stages) {
    for (Map.Entry<String, Node> e : tree.entrySet()) {
      RelativePath p = new RelativePath(e.getKey());
      p.parent().ifPresent(parent -> refuseLinkedDirectories(destination, parent));
      if (e.getValue().kind() == Kind.DIRECTORY) {
        refuseLinkedDirectories(destination, p);
      } else if (e.getValue().kind() == Kind.LINK) {
        checkLink(destination, stages, e.getKey());
      }
    }
  }

  /**
   * A symbolic link in the destination where the model has a directory: writing under it could
   * leave.
   */
  private static void refuseLinkedDirectories(Path root, RelativePath dir) {
    StringBuilder sb = new StringBuilder();
    for (String s : dir.value().split("/", -1)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(s);
      if (Files.isSymbolicLink(root.resolve(sb.toString()))) {
        throw StorageException.unsafe(
            "Refusing to write under "
                + sb
                + " in "
                + root
                + ": it is a symbolic link, and writing through it could leave the destination");
      }
    }
  }

  private static void ensureParents(Path root, RelativePath p, Set<RelativePath> ours) {
    p.parent()
        .ifPresent(
            parent -> {
              StringBuilder sb = new StringBuilder();
              for (String s : parent.value().split("/", -1)) {
                if (sb.length() > 0) {
                  sb.append('/');
                }
                sb.append(s);
                RelativePath d = new RelativePath(sb.toString());
                ensureDirectory(root, d.resolveUnder(root), d, ours);
              }
            });
  }

  private static void ensureDirectory(Path root, Path dir, RelativePath p, Set<RelativePath> ours) {
    BasicFileAttributes a = LayerStage.lstat(dir);
    try {
      if (a == null) {
        Files.createDirectory(dir);
        return;
      }
      if (a.isDirectory()) {
        return;
      }
      if (a.isSymbolicLink()) {
        throw StorageException.unsafe(
            "Refusing to write under "
                + p
                + " in "
                + root
                + ": it is a symbolic link, and writing through it could leave the destination");
      }
      if (ours.contains(p)) {
        Files.delete(dir);
        Files.createDirectory(dir);
        return;
      }
      throw StorageException.disk(
          "Cannot write the model: " + dir + " exists and is not a directory", null);
    } catch (IOException e) {
      throw StorageException.disk("Cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void refuseDirectory(Path target, RelativePath p) {
    BasicFileAttributes a = LayerStage.lstat(target);
    if (a != null && a.isDirectory()) {
      throw StorageException.disk(
          "Cannot write " + p + ": a directory of that name is in the destination", null);
    }
  }

  /**
   * Follows a link as the kernel would once the tree is placed: through the merged tree's links,
   * and the destination's for paths the tree does not hold. It must stay inside.
   */
  private void checkLink(Path root, List<Path> stages, String link) {
    Deque<String> todo = new ArrayDeque<>();
    List<String> at = new ArrayList<>(List.of(link.split("/", -1)));
    at.remove(at.size() - 1);
    push(todo, linkAt(root, stages, link).orElseThrow());
    int hops = 1;
    while (!todo.isEmpty()) {
      String c = todo.pop();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (at.isEmpty()) {
          escape(link);
        }
        at.remove(at.size() - 1);
        continue;
      }
      at.add(c);
      Optional<String> target = linkAt(root, stages, String.join("/", at));
      if (target.isPresent()) {
        String next = target.get();
        if (++hops > 40 || next.startsWith("/")) {
          escape(link);
        }
        at.remove(at.size() - 1);
        push(todo, next);
      }
    }
  }

  /** The target of the link at {@code rel} once the tree is placed, empty if it is no link. */
  private Optional<String> linkAt(Path root, List<Path> stages, String rel) {
    Node n = tree.get(rel);
    if (n != null) {
      return n.kind() == Kind.LINK
          ? Optional.of(read(new RelativePath(rel).resolveUnder(stages.get(n.layer()))))
          : Optional.empty();
    }
    Path p = root.resolve(rel);
    return Files.isSymbolicLink(p) ? Optional.of(read(p)) : Optional.empty();
  }

  private static void escape(String link) {
    throw StorageException.unsafe(
        "Refusing the symbolic link /models/"
            + link
            + ": through other links it resolves outside the model");
  }

  private static String read(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      throw StorageException.disk("Cannot read the link " + link + ": " + e.getMessage(), e);
    }
  }

  private static void push(Deque<String> todo, String path) {
    String[] segments = path.split("/", -1);
    for (int i = segments.length - 1; i >= 0; i--) {
      todo.push(segments[i]);
    }
  }

  private static String rel(Path stage, Path p) {
    StringBuilder sb = new StringBuilder();
    for (Path s : stage.relativize(p)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(s);
    }
    return sb.toString();
  }

  /** Files a previous extraction recorded, for {@link #merge}'s {@code ours}. */
  static Set<RelativePath> previous(ManifestView view, String source) {
    return view.extraction(source)
        .map(e -> Set.copyOf(e.files().stream().map(ManifestView.RecordedFile::path).toList()))
        .orElse(Set.of());
  }
}
