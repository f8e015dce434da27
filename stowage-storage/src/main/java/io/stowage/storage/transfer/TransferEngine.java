package io.stowage.storage.transfer;

import io.stowage.common.UriRedaction;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Materializes a source's files in a destination directory.
 *
 * <p>Files are split into parts fetched by a fixed pool of workers with ranged requests and written
 * at their offsets into a hidden staging file beside the final name. A file is renamed to its final
 * name only after its size (and MD5, when the source gives one) is verified, and after it was
 * forced to disk. The manifest journals completed parts and published files, so a killed run
 * resumes where it stopped, and a finished destination is recognised without fetching anything.
 */
public final class TransferEngine {
  private static final long JOURNAL_INTERVAL_MILLIS = 1000;

  private final TransferSettings settings;
  private final String bootId;

  public TransferEngine(TransferSettings settings) {
    this(settings, BootId.current());
  }

  /**
   * For tests: as if the machine had the given boot ID, which decides which unforced journal lines
   * of earlier runs are trusted.
   */
  TransferEngine(TransferSettings settings, String bootId) {
    this.settings = settings;
    this.bootId = bootId;
  }

  /**
   * Fetches {@code files} from {@code source} into {@code destination}.
   *
   * @throws StorageException classified, on the first failure; staging files stay for a resume
   */
  public TransferSummary run(
      Source source,
      List<RemoteFile> files,
      Path destination,
      TransferListener listener,
      TransferProgress progress) {
    Instant started = Instant.now();
    Destination dest = Destination.open(destination);
    for (RemoteFile f : files) {
      dest.checkFits(f.path(), source.display());
    }
    try (Manifest manifest = openManifest(dest)) {
      Run run = new Run(source, dest, manifest, listener, progress);
      TransferPlan plan = run.plan(files);
      progress.start(plan);
      listener.planned(plan);
      run.execute();
      if (settings.fsync()) {
        // One durability point at the end: the kernel writes back in the background meanwhile,
        // so this mostly waits for the tail, and the manifest is forced only after the files.
        run.forceToDisk(files);
      }
      long total = files.stream().mapToLong(RemoteFile::knownSize).sum();
      manifest.compact(
          new Manifest.Completion(source.display(), files.size(), total, Instant.now().toString()),
          settings.fsync());
      if (settings.fsync()) {
        Destination.syncDirectory(dest.root());
      }
      return new TransferSummary(
          plan,
          progress.fetchedBytes(),
          progress.retries(),
          Duration.between(started, Instant.now()));
    } catch (IOException e) {
      throw dest.diskFailure("update the manifest", e);
    }
  }

  private Manifest openManifest(Destination dest) {
    try {
      return Manifest.open(dest.root(), bootId);
    } catch (IOException e) {
      throw dest.diskFailure("open the manifest", e);
    }
  }

  /** One transfer's mutable state; workers share it. */
  private final class Run {
    private final Source source;
    private final Destination dest;
    private final Manifest manifest;
    private final TransferListener listener;
    private final TransferProgress progress;
    private final ArrayDeque<FileTask> pending = new ArrayDeque<>();
    private final List<FileTask> open = new ArrayList<>();
    private final AtomicReference<@Nullable StorageException> failure = new AtomicReference<>();
    private final Map<Thread, RangeStream> inFlight = new ConcurrentHashMap<>();
    private final Set<Path> touchedDirectories = ConcurrentHashMap.newKeySet();
    private final Object journalLock = new Object();
    private final Object journalWriteLock = new Object();
    private boolean committerStopped;

    Run(
        Source source,
        Destination dest,
        Manifest manifest,
        TransferListener listener,
        TransferProgress progress) {
      this.source = source;
      this.dest = dest;
      this.manifest = manifest;
      this.listener = listener;
      this.progress = progress;
    }

    TransferPlan plan(List<RemoteFile> files) {
      Map<RelativePath, Manifest.FileEntry> published = manifest.published();
      Set<RelativePath> listed = new HashSet<>();
      Set<Path> resumable = new HashSet<>();
      int upToDate = 0;
      long upToDateBytes = 0;
      long resumedBytes = 0;
      long toFetch = 0;
      List<FileTask> tasks = new ArrayList<>();
      for (RemoteFile f : files) {
        listed.add(f.path());
        Path target = dest.target(f.path());
        if (isUpToDate(f, published.get(f.path()), target)) {
          upToDate++;
          upToDateBytes += f.knownSize();
          continue;
        }
        Path staging = dest.staging(f.path());
        List<ByteRange> resumed = resumedRanges(f, staging);
        if (!resumed.isEmpty()) {
          resumable.add(staging);
        }
        long have = resumed.stream().mapToLong(ByteRange::length).sum();
        resumedBytes += have;
        List<ByteRange> parts;
        if (!f.sizeKnown()) {
          parts = List.of(new ByteRange(0, Long.MAX_VALUE));
        } else if (!f.seekable()) {
          parts = f.size() == 0 ? List.of() : List.of(new ByteRange(0, f.size()));
        } else {
          parts = missingParts(f.size(), resumed);
        }
        toFetch += f.knownSize() - have;
        tasks.add(new FileTask(f, staging, target, resumed, parts));
      }
      removeStale(published, listed);
      removeStrayStaging(resumable);
      checkSpace(toFetch);
      // Largest first: the long transfers start early and the small files fill the gaps.
      tasks.sort(
          Comparator.comparingLong((FileTask t) -> -t.file.knownSize())
              .thenComparing(t -> t.file.path()));
      pending.addAll(tasks);
      long total = files.stream().mapToLong(RemoteFile::knownSize).sum();
      return new TransferPlan(files.size(), total, upToDate, upToDateBytes, resumedBytes);
    }

    private boolean isUpToDate(RemoteFile f, Manifest.@Nullable FileEntry entry, Path target) {
      if (entry == null
          || !entry.source().equals(source.display())
          || (f.sizeKnown() && entry.size() != f.size())
          || f.version().isEmpty()
          || !entry.version().equals(f.version())) {
        return false;
      }
      try {
        BasicFileAttributes a =
            Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return a.isRegularFile()
            && a.size() == entry.size()
            && a.lastModifiedTime().toMillis() == entry.mtimeMillis();
      } catch (IOException e) {
        return false;
      }
    }

    private List<ByteRange> resumedRanges(RemoteFile f, Path staging) {
      var partial = manifest.partial(f.path());
      if (!f.seekable()
          || f.version().isEmpty()
          || partial.isEmpty()
          || !partial.get().source().equals(source.display())
          || partial.get().size() != f.size()
          || !partial.get().version().equals(f.version())) {
        return List.of();
      }
      try {
        if (!Files.isRegularFile(staging, LinkOption.NOFOLLOW_LINKS)) {
          return List.of();
        }
        long length = Files.size(staging);
        return merge(partial.get().done().stream().filter(r -> r.end() <= length).toList());
      } catch (IOException e) {
        return List.of();
      }
    }

    private List<ByteRange> missingParts(long size, List<ByteRange> resumed) {
      List<ByteRange> parts = new ArrayList<>();
      long pos = 0;
      for (ByteRange have : resumed) {
        split(pos, have.start(), parts);
        pos = have.end();
      }
      split(pos, size, parts);
      return parts;
    }

    private void split(long start, long end, List<ByteRange> out) {
      for (long p = start; p < end; p += settings.partSize()) {
        out.add(new ByteRange(p, Math.min(end, p + settings.partSize())));
      }
    }

    private void removeStale(
        Map<RelativePath, Manifest.FileEntry> published, Set<RelativePath> listed) {
      for (Manifest.FileEntry e : published.values()) {
        if (!e.source().equals(source.display()) || listed.contains(e.path())) {
          continue;
        }
        Path target = dest.target(e.path());
        try {
          BasicFileAttributes a =
              Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          // Only a file exactly as we left it is ours to remove.
          if (a.isRegularFile()
              && a.size() == e.size()
              && a.lastModifiedTime().toMillis() == e.mtimeMillis()) {
            Files.delete(target);
            listener.removed(e.path());
          }
        } catch (IOException ignored) {
          // Already gone or replaced by someone else: leave it.
        }
        try {
          manifest.forget(e.path());
        } catch (IOException ex) {
          throw dest.diskFailure("update the manifest", ex);
        }
      }
    }

    private void removeStrayStaging(Set<Path> keep) {
      for (Path p : dest.stagingFiles()) {
        if (!keep.contains(p)) {
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            throw dest.diskFailure("remove the stale staging file " + p.getFileName(), e);
          }
        }
      }
    }

    private void checkSpace(long toFetch) {
      long usable = dest.usableSpace();
      if (toFetch > usable) {
        throw StorageException.disk(
            "Not enough space in "
                + dest.root()
                + ": "
                + toFetch
                + " bytes to fetch, "
                + usable
                + " available (raise the pod's ephemeral-storage limit or use a larger volume)",
            null);
      }
    }

    void execute() {
      if (pending.isEmpty()) {
        return;
      }
      Thread committer = startJournalCommitter();
      int workers = settings.concurrency();
      CountDownLatch finished = new CountDownLatch(workers);
      for (int i = 0; i < workers; i++) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    work();
                  } catch (StorageException e) {
                    fail(e);
                  } catch (RuntimeException | Error e) {
                    fail(new StorageException(Failure.INTERNAL, "Internal error: " + e, e));
                  } finally {
                    finished.countDown();
                  }
                },
                "stowage-transfer-" + i);
        t.setDaemon(true);
        t.start();
      }
      awaitWorkers(finished);
      stopJournalCommitter(committer);
      StorageException e = failure.get();
      if (e != null) {
        journalParts();
        closeOpenTasks();
        throw e;
      }
    }

    /**
     * Journals completed parts once a second from its own thread, so that forcing staging files to
     * disk overlaps with the download instead of stalling a worker.
     */
    private Thread startJournalCommitter() {
      Thread t =
          new Thread(
              () -> {
                while (true) {
                  synchronized (journalLock) {
                    if (committerStopped) {
                      return;
                    }
                    try {
                      journalLock.wait(JOURNAL_INTERVAL_MILLIS);
                    } catch (InterruptedException e) {
                      return;
                    }
                    if (committerStopped) {
                      return;
                    }
                  }
                  try {
                    journalParts();
                  } catch (StorageException e) {
                    fail(e);
                    return;
                  }
                }
              },
              "stowage-journal");
      t.setDaemon(true);
      t.start();
      return t;
    }

    private void stopJournalCommitter(Thread committer) {
      synchronized (journalLock) {
        committerStopped = true;
        journalLock.notifyAll();
      }
      try {
        committer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private synchronized void closeOpenTasks() {
      for (FileTask t : open) {
        if (t.isOpened()) {
          closeQuietly(t.channel());
        }
      }
    }

    private void awaitWorkers(CountDownLatch finished) {
      try {
        if (settings.deadline().isPresent()) {
          Duration deadline = settings.deadline().get();
          if (!finished.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            fail(
                new StorageException(
                    Failure.NETWORK,
                    "The download did not finish within the deadline of "
                        + deadline.toSeconds()
                        + " s (STOWAGE_DEADLINE); "
                        + progress.doneBytes()
                        + " of "
                        + progress.totalBytes()
                        + " bytes are in place and a rerun resumes from there"));
            finished.await();
          }
        } else {
          finished.await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail(new StorageException(Failure.INTERNAL, "Interrupted", e));
      }
    }

    private void fail(StorageException e) {
      if (failure.compareAndSet(null, e)) {
        for (RangeStream s : inFlight.values()) {
          s.abort();
        }
        synchronized (this) {
          notifyAll();
        }
      }
    }

    private boolean failed() {
      return failure.get() != null;
    }

    private void work() {
      ByteBuffer buffer = ByteBuffer.allocateDirect(settings.bufferSize());
      byte[] hashBuffer = null;
      while (!failed()) {
        Job job = nextJob();
        if (job == null) {
          return;
        }
        FileTask task = job.task();
        ByteRange part = job.part();
        boolean last = true;
        if (part != null) {
          long end = fetch(task, part, buffer);
          if (failed()) {
            return;
          }
          last = task.partDone(task.file.sizeKnown() ? part : new ByteRange(part.start(), end));
        }
        if (task.digestApplies()) {
          if (hashBuffer == null) {
            hashBuffer = new byte[1024 * 1024];
          }
          hash(task, hashBuffer, false);
        }
        if (last) {
          publish(task, hashBuffer);
        }
      }
    }

    private record Job(FileTask task, @Nullable ByteRange part) {}

    private synchronized @Nullable Job nextJob() {
      while (!failed()) {
        for (FileTask t : open) {
          ByteRange part = t.nextPart();
          if (part != null) {
            return new Job(t, part);
          }
        }
        if (open.size() < settings.fileConcurrency() && !pending.isEmpty()) {
          FileTask t = pending.poll();
          openTask(t);
          open.add(t);
          if (t.parts.isEmpty()) {
            return new Job(t, null);
          }
          continue;
        }
        if (pending.isEmpty()) {
          return null;
        }
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
      return null;
    }

    private void openTask(FileTask t) {
      dest.createParents(t.file.path());
      touchedDirectories.add(t.target.getParent());
      try {
        // Staging names are Stowage's own: never opened through a link someone planted there.
        FileChannel ch =
            t.resumes()
                ? OwnedFiles.openExisting(
                        t.staging, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    .orElseThrow(
                        () ->
                            new IOException(
                                "the staging file "
                                    + t.staging.getFileName()
                                    + " was replaced while planning; run again"))
                : OwnedFiles.create(t.staging, StandardOpenOption.READ);
        t.opened(ch);
      } catch (IOException e) {
        throw dest.diskFailure("create " + t.file.path(), e);
      }
    }

    /**
     * Fetches the part; returns where it ended (the part's end, or the stream's for unknown sizes).
     */
    private long fetch(FileTask task, ByteRange part, ByteBuffer buffer) {
      RemoteFile f = task.file;
      FileChannel ch = task.channel();
      long pos = part.start();
      int consecutive = 0;
      boolean complete = false;
      while (!complete && pos < part.end() && !failed()) {
        long attemptStart = pos;
        RangeStream stream = null;
        try {
          stream = source.open(f, pos, part.end());
          inFlight.put(Thread.currentThread(), stream);
          if (failed()) {
            return pos;
          }
          if (!stream.md5Trustworthy()) {
            task.distrustMd5();
          }
          while (!complete && pos < part.end()) {
            // Fill the buffer before writing: one large pwrite instead of one per socket read.
            buffer.clear();
            if (buffer.remaining() > part.end() - pos) {
              buffer.limit((int) (part.end() - pos));
            }
            try {
              while (buffer.hasRemaining()) {
                if (stream.read(buffer) < 0) {
                  if (f.sizeKnown()) {
                    throw new EOFException(
                        "range of "
                            + f.path()
                            + " ended "
                            + (part.end() - pos - buffer.position())
                            + " bytes early");
                  }
                  complete = true; // Unknown size: the end of the stream is the end of the file.
                  break;
                }
              }
            } catch (IOException e) {
              // Keep what arrived before the failure: the retry starts after it.
              buffer.flip();
              int kept = writeAt(ch, buffer, pos, f);
              pos += kept;
              progress.fetched(f, kept);
              throw e;
            }
            buffer.flip();
            int n = writeAt(ch, buffer, pos, f);
            pos += n;
            progress.fetched(f, n);
          }
        } catch (IOException e) {
          if (failed()) {
            return pos;
          }
          // For http(s) the locator is the URL itself, which may carry credentials.
          String doing = "downloading " + UriRedaction.redact(f.locator());
          if (e instanceof ObjectChangedException) {
            // Every source's answer to a changed object ends the same way: the bytes of two
            // versions must never meet in one file, and a rerun fetches the new one.
            fail(
                StorageException.integrity(
                    UriRedaction.redactUrisIn(String.valueOf(e.getMessage()))
                        + ": rerun to fetch the new version"));
            return pos;
          }
          if (source.isPermanent(e)) {
            fail(source.classify(e, doing));
            return pos;
          }
          if (f.seekable()) {
            consecutive = pos > attemptStart ? 1 : consecutive + 1;
          } else {
            // No ranges: every attempt starts over, so every failure counts.
            consecutive++;
            pos = part.start();
            truncate(ch, f);
          }
          if (consecutive >= settings.retry().maxAttempts()) {
            fail(source.classify(e, doing));
            return pos;
          }
          progress.retried();
          listener.retrying(f.path(), consecutive, String.valueOf(e.getMessage()));
          sleep(settings.retry().delayAfter(consecutive));
        } catch (StorageException e) {
          fail(e);
          return pos;
        } finally {
          inFlight.remove(Thread.currentThread());
          if (stream != null) {
            stream.close();
          }
        }
      }
      return pos;
    }

    private void truncate(FileChannel ch, RemoteFile f) {
      try {
        ch.truncate(0);
      } catch (IOException e) {
        throw dest.diskFailure("restart " + f.path(), e);
      }
    }

    private int writeAt(FileChannel ch, ByteBuffer buffer, long pos, RemoteFile f) {
      int written = 0;
      try {
        while (buffer.hasRemaining()) {
          written += ch.write(buffer, pos + written);
        }
        return written;
      } catch (ClosedChannelException e) {
        throw new StorageException(
            Failure.INTERNAL, "Staging file of " + f.path() + " closed while writing", e);
      } catch (IOException e) {
        throw dest.diskFailure("write " + f.path(), e);
      }
    }

    /** The digest the file's bytes were just checked against, as the manifest records it. */
    private static String verifiedDigest(FileTask task) {
      if (task.digestApplies() && task.file.verification() instanceof Verification.Digest d) {
        return Verification.label(d);
      }
      return "";
    }

    private void hash(FileTask task, byte[] buffer, boolean waitForOthers) {
      try {
        task.hashAvailable(buffer, waitForOthers);
      } catch (IOException e) {
        throw dest.diskFailure("read back " + task.file.path() + " to verify it", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException(Failure.INTERNAL, "Interrupted", e);
      }
    }

    private void publish(FileTask task, byte @Nullable [] hashBuffer) {
      RemoteFile f = task.file;
      FileChannel ch = task.channel();
      try {
        long size = ch.size();
        if (f.sizeKnown() && size != f.size()) {
          throw StorageException.integrity(
              "Size check failed for "
                  + f.path()
                  + ": "
                  + size
                  + " bytes arrived, the source lists "
                  + f.size());
        }
        if (task.digestApplies() && hashBuffer != null) {
          hash(task, hashBuffer, true);
          String actual = task.digestHex();
          Verification.Digest expected = (Verification.Digest) f.verification();
          if (!actual.equals(expected.hex())) {
            throw StorageException.integrity(
                "Integrity check failed for "
                    + f.path()
                    + ": the "
                    + expected.describe()
                    + " of the bytes received is "
                    + actual
                    + " but "
                    + expected.origin()
                    + " says "
                    + expected.hex()
                    + (expected.hint().isEmpty() ? "" : " (" + expected.hint() + ")"));
          }
        }
        ch.close();
        Files.move(
            task.staging,
            task.target,
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        long mtime = Files.getLastModifiedTime(task.target, LinkOption.NOFOLLOW_LINKS).toMillis();
        manifest.appendFile(
            new Manifest.FileEntry(
                source.display(), f.path(), size, f.version(), mtime, verifiedDigest(task)));
      } catch (StorageException e) {
        closeQuietly(ch);
        if (e.failure() == Failure.INTEGRITY) {
          deleteQuietly(task.staging);
        }
        throw e;
      } catch (IOException e) {
        closeQuietly(ch);
        throw dest.diskFailure("publish " + f.path(), e);
      }
      synchronized (this) {
        open.remove(task);
        notifyAll();
      }
      progress.published(f);
      listener.published(f.path(), f.knownSize());
    }

    /**
     * Journals completed parts. They are not forced: the manifest trusts them only within the same
     * boot (see {@link Manifest}), which is exactly when the page cache still holds them.
     */
    private void journalParts() {
      synchronized (journalWriteLock) {
        List<FileTask> tasks;
        synchronized (this) {
          tasks = List.copyOf(open);
        }
        List<Manifest.PartialEntry> entries = new ArrayList<>();
        for (FileTask task : tasks) {
          List<ByteRange> done = task.takeUnjournaled();
          if (done.isEmpty() || task.isComplete()) {
            continue;
          }
          RemoteFile f = task.file;
          entries.add(
              new Manifest.PartialEntry(source.display(), f.path(), f.size(), f.version(), done));
        }
        try {
          manifest.appendParts(entries);
        } catch (IOException e) {
          throw dest.diskFailure("update the manifest", e);
        }
      }
    }

    /** Forces every file of the model and the directories holding them to stable storage. */
    void forceToDisk(List<RemoteFile> files) {
      for (RemoteFile f : files) {
        try (FileChannel ch = FileChannel.open(dest.target(f.path()), StandardOpenOption.READ)) {
          ch.force(false);
        } catch (IOException e) {
          throw dest.diskFailure("force " + f.path() + " to disk", e);
        }
        f.path().parent().ifPresent(p -> touchedDirectories.add(dest.target(p)));
      }
      for (Path dir : touchedDirectories) {
        Destination.syncDirectory(dir);
      }
    }

    private void sleep(Duration d) {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail(new StorageException(Failure.INTERNAL, "Interrupted", e));
      }
    }
  }

  /** Merges touching or overlapping ranges into a sorted, disjoint list. */
  static List<ByteRange> merge(List<ByteRange> ranges) {
    List<ByteRange> sorted = new ArrayList<>(ranges);
    sorted.sort(null);
    List<ByteRange> out = new ArrayList<>();
    for (ByteRange r : sorted) {
      if (!out.isEmpty() && out.get(out.size() - 1).end() >= r.start()) {
        ByteRange last = out.remove(out.size() - 1);
        out.add(new ByteRange(last.start(), Math.max(last.end(), r.end())));
      } else if (r.length() > 0) {
        out.add(r);
      }
    }
    return out;
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // Already failing; the channel is discarded.
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // A stale staging file is removed by the next run.
    }
  }
}
