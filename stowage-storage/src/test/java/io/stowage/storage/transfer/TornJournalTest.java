package io.stowage.storage.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill can leave the journal's last line torn. The next run must not let its own first line (the
 * session header, which carries the boot ID) merge with the torn one, or the parts it journals are
 * read under the previous session's trust. Three boots, simulated: a compaction forced on boot A
 * and a kill while the next header was written; a run on boot B that journals parts and is killed;
 * a node crash that loses the unforced staging bytes; a run on boot C.
 */
class TornJournalTest {
  private static final long MIB = 1024 * 1024;

  @TempDir Path dest;

  private final MemorySource source = new MemorySource();

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  private TransferSummary run(String bootId) {
    TransferSettings s =
        new TransferSettings(
            1,
            MIB,
            1,
            64 * 1024,
            new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)),
            Optional.empty(),
            true);
    return new TransferEngine(s, bootId)
        .run(source, source.list(), dest, TransferListener.NONE, new TransferProgress());
  }

  /** Cuts the journal in the middle of its last line, as a kill while appending it would. */
  private void tearLastLine() throws Exception {
    Path journal = dest.resolve(Manifest.FILE_NAME);
    String text = Files.readString(journal, StandardCharsets.UTF_8);
    int lastStart = text.lastIndexOf('\n', text.length() - 2) + 1;
    int cut = lastStart + (text.length() - lastStart) / 2;
    try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
      ch.truncate(text.substring(0, cut).getBytes(StandardCharsets.UTF_8).length);
    }
  }

  /** What a node crash does to pages that were never written back: here, they read as zeros. */
  private void loseUnforcedStagingBytes() throws Exception {
    try (Stream<Path> s = Files.list(dest)) {
      List<Path> staging =
          s.filter(p -> Destination.isStagingName(p.getFileName().toString())).toList();
      assertThat(staging).hasSize(1);
      long size = Files.size(staging.get(0));
      Files.write(staging.get(0), new byte[(int) size]);
    }
  }

  @Test
  void partsJournaledAfterATornLineAreNotTrustedAfterAReboot() throws Exception {
    // Size-only, as a multipart S3 object is: only the journal's trust stands between a resume and
    // publishing lost bytes.
    source.claimMd5 = false;
    source.put("model.bin", random((int) (4 * MIB), 1));
    run("boot-A");
    tearLastLine();

    byte[] v2 = random((int) (4 * MIB), 2);
    source.put("model.bin", v2);
    source.dieAfterRequests = source.requests.get() + 2;
    assertThatThrownBy(() -> run("boot-B")).hasMessageContaining("killed");
    loseUnforcedStagingBytes();

    source.dieAfterRequests = Integer.MAX_VALUE;
    TransferSummary s = run("boot-C");

    assertThat(s.plan().resumedBytes()).isZero();
    assertThat(Files.readAllBytes(dest.resolve("model.bin"))).isEqualTo(v2);
  }

  @Test
  void withinTheSameBootTheRunAfterATornLineStillResumes() throws Exception {
    source.claimMd5 = false;
    source.put("model.bin", random((int) (4 * MIB), 3));
    source.dieAfterRequests = 2;
    assertThatThrownBy(() -> run("boot-A")).hasMessageContaining("killed");
    tearLastLine();
    source.dieAfterRequests = Integer.MAX_VALUE;

    TransferSummary s = run("boot-A");

    assertThat(Files.readAllBytes(dest.resolve("model.bin")))
        .isEqualTo(source.files.get("model.bin"));
    assertThat(s.plan().resumedBytes()).isGreaterThan(0);
  }
}
