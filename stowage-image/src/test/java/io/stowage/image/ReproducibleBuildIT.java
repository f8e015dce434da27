package io.stowage.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stowage.testkit.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The image build is a function of its inputs: staging the tree, dumping the class-data archive and
 * writing both images again from the same jars and base gives the same digests. (That the jars
 * themselves are reproducible, so that a commit builds the same images twice from clean, was
 * checked from two fresh clones; see docs/images.md.)
 */
class ReproducibleBuildIT {

  @Test
  void buildingAgainFromTheSameInputsGivesTheSameDigests() throws Exception {
    assumeTrue(Tools.needed(isRootOrUserNamespaces(), "root (the archive is dumped in a chroot)"));
    Path built = Path.of(System.getProperty("stowage.image.dir"));
    // Kept after the run, so that a difference can be looked at layer by layer.
    Path out = built.resolveSibling("image-again");
    RootFs.deleteTree(out);
    List<String> args =
        new ArrayList<>(List.of(System.getProperty("stowage.image.args").split(" ", -1)));
    args.add("--out=" + out);

    ImageBuild.main(args.toArray(String[]::new));

    assertThat(digests(out)).isEqualTo(digests(built)).hasSize(2);
  }

  /** {@code name:tag@sha256:…} of each image the build wrote. */
  private static List<String> digests(Path dir) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("digests.txt"), StandardCharsets.UTF_8)) {
      out.add(line.split(" ", -1)[0]);
    }
    return out;
  }

  private static boolean isRootOrUserNamespaces() throws Exception {
    return Commands.run("id", "-u").strip().equals("0") || Tools.onPath("unshare");
  }
}
