package io.stowage.controller;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One case of {@link KServeDifferentialIT}: manifests applied to KServe and planned by Stowage, in
 * a namespace of the case's own, and what is expected of both.
 *
 * @param name the case, and its namespace unless it is a reference example
 * @param namespace where the manifests go (kubectl's {@code -n}, the planner's default)
 * @param files the manifests, in the order they are applied
 * @param wired for a case both must serve: a path of KServe's Pod ({@link PodView}) that shows the
 *     case is about what it says (its Secret's setting, its claim, its image); null when both must
 *     refuse the InferenceService
 */
record DifferentialCase(String name, String namespace, List<Path> files, @Nullable String wired) {
  /** The variants' manifests: one file per case, named after it, without namespaces. */
  static final Path VARIANTS = Path.of("src", "test", "resources", "kserve-differential");

  DifferentialCase {
    files = List.copyOf(files);
  }

  /** A variant both serve; its file is {@code VARIANTS/<name>.yaml}. */
  static DifferentialCase served(Path runtime, String name, String wired) {
    return new DifferentialCase(
        name, name, List.of(runtime, VARIANTS.resolve(name + ".yaml")), wired);
  }

  /** A variant both must refuse (compared: that both refuse, not the wording). */
  static DifferentialCase refused(Path runtime, String name) {
    return new DifferentialCase(
        name, name, List.of(runtime, VARIANTS.resolve(name + ".yaml")), null);
  }

  /** A reference example, as written, in its own namespace. */
  static DifferentialCase example(
      String name, String namespace, String wired, Path runtime, Path... examples) {
    List<Path> files = new ArrayList<>(List.of(runtime));
    files.addAll(List.of(examples));
    return new DifferentialCase(name, namespace, files, wired);
  }

  boolean mustServe() {
    return wired != null;
  }

  @Override
  public String toString() {
    return name;
  }
}
