package io.stowage.storage.s3;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.net.HttpClient;
import io.stowage.storage.net.RequestBody;
import io.stowage.storage.transfer.RelativePath;
import io.stowage.storage.transfer.RetryPolicy;
import io.stowage.storage.uri.S3Uri;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * {@code stowage push DIR s3://bucket/prefix}: a directory into S3 with sync semantics. Files the
 * prefix already holds with the same size and content (judged by the ETag, including multipart
 * ETags of common part sizes) are skipped; the rest go up in parallel parts with Content-MD5, the
 * multipart ETag S3 returns is checked against the one computed locally, interrupted multipart
 * uploads are resumed (matching parts kept) or aborted, and a final listing must match the
 * directory before the push counts as done.
 */
public final class S3Push {
  private static final int READ_BUFFER = 1024 * 1024;

  private final S3Uri target;
  private final S3Client client;
  private final RetryPolicy retry;
  private final S3Failures failures;
  private final Listener listener;
  private final LongAdder sentBytes = new LongAdder();
  private final java.util.concurrent.atomic.AtomicBoolean etagsAreMd5 =
      new java.util.concurrent.atomic.AtomicBoolean(true);

  /** What a push reports while it works. Called from worker threads. */
  public interface Listener {
    Listener NONE = new Listener() {};

    default void planned(int files, int toUpload, long bytesToUpload) {}

    default void uploaded(String key, long size) {}

    default void deleted(String key) {}

    default void resumed(String key, int parts) {}

    default void warning(String message) {}
  }

  /**
   * How a push behaves.
   *
   * @param delete remove keys under the prefix that the directory does not have
   * @param partSize bytes per part; files up to this size go up in one PUT
   * @param concurrency requests in flight
   */
  public record Options(boolean delete, long partSize, int concurrency) {
    public Options {
      if (partSize < 5L * 1024 * 1024 || partSize > 5L * 1024 * 1024 * 1024) {
        throw StorageException.usage("The part size must be between 5Mi and 5Gi (S3's limits)");
      }
      if (concurrency < 1) {
        throw StorageException.usage("The concurrency must be at least 1");
      }
    }
  }

  /** What a push did. */
  public record Summary(
      int files,
      int uploaded,
      int skipped,
      int deleted,
      int resumedParts,
      long uploadedBytes,
      Duration elapsed) {}

  public S3Push(
      S3Uri target, S3Settings settings, HttpClient http, RetryPolicy retry, Listener listener) {
    this.target = target;
    this.client = new S3Client(settings, http);
    this.retry = retry;
    this.failures = new S3Failures(client.endpointForDisplay(), target.bucket(), settings.region());
    this.listener = listener;
  }

  private final Map<String, InFlight> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicInteger doneFiles = new AtomicInteger();
  private volatile long plannedBytes;
  private volatile int plannedFiles;

  /** A file being uploaded: its size and the bytes of it that S3 has acknowledged. */
  public record FileProgress(String key, long size, long sent) {}

  /** Where a push stands, for progress displays. */
  public record Progress(
      long sentBytes, long totalBytes, int doneFiles, int totalFiles, List<FileProgress> active) {}

  private record InFlight(long size, LongAdder sent) {}

  /**
   * A snapshot of the upload, cheap enough to poll several times a second. Bytes count when S3
   * acknowledged them, so a large part moves the total in steps.
   */
  public Progress progress() {
    List<FileProgress> active = new ArrayList<>();
    inFlight.forEach((k, f) -> active.add(new FileProgress(k, f.size(), f.sent().sum())));
    active.sort((a, b) -> Long.compare(b.size(), a.size()));
    return new Progress(sentBytes.sum(), plannedBytes, doneFiles.get(), plannedFiles, active);
  }

  private void sent(String key, long size, long n) {
    sentBytes.add(n);
    inFlight.computeIfAbsent(key, k -> new InFlight(size, new LongAdder())).sent().add(n);
  }

  private void finished(String key, long size) {
    inFlight.remove(key);
    doneFiles.incrementAndGet();
    listener.uploaded(key, size);
  }

  private String prefix() {
    String k = target.key();
    return k.isEmpty() || k.endsWith("/") ? k : k + "/";
  }

  public Summary push(Path dir, Options options) {
    long started = System.nanoTime();
    Map<String, LocalFile> local = scan(dir);
    Map<String, S3Object> remote = call("listing " + target.display(), () -> listAll(prefix()));
    Map<String, List<S3Client.PendingUpload>> pending = new HashMap<>();
    for (S3Client.PendingUpload u :
        call(
            "listing uploads under " + target.display(),
            () -> client.listMultipartUploads(target.bucket(), prefix()))) {
      pending.computeIfAbsent(u.key(), k -> new ArrayList<>()).add(u);
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            options.concurrency(),
            r -> {
              Thread t = new Thread(r, "stowage-push");
              t.setDaemon(true);
              return t;
            });
    try {
      List<LocalFile> toUpload = decide(local, remote, options, pool);
      long bytes = toUpload.stream().mapToLong(LocalFile::size).sum();
      plannedBytes = bytes;
      plannedFiles = toUpload.size();
      listener.planned(local.size(), toUpload.size(), bytes);
      AtomicInteger resumedParts = new AtomicInteger();
      Map<String, String> uploadedEtags = upload(toUpload, pending, options, pool, resumedParts);
      abortStale(local);
      int deleted = 0;
      if (options.delete()) {
        deleted = deleteExtra(local, remote, pending);
      }
      verify(local, uploadedEtags, options);
      return new Summary(
          local.size(),
          toUpload.size(),
          local.size() - toUpload.size(),
          deleted,
          resumedParts.get(),
          bytes,
          Duration.ofNanos(System.nanoTime() - started));
    } finally {
      pool.shutdownNow();
    }
  }

  /** A file of the directory and the key it goes to. */
  record LocalFile(Path path, String key, long size) {}

  private Map<String, LocalFile> scan(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw StorageException.usage(dir + " is not a directory");
    }
    Map<String, LocalFile> files = new TreeMap<>();
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              String rel = dir.relativize(file).toString().replace('\\', '/');
              boolean ours = file.getFileName().toString().startsWith(RelativePath.RESERVED_PREFIX);
              if (attrs.isRegularFile() && !ours) {
                String key = prefix() + rel;
                files.put(key, new LocalFile(file, key, attrs.size()));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw StorageException.disk("Cannot read " + dir + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw StorageException.usage(dir + " holds no files to push");
    }
    return files;
  }

  private Map<String, S3Object> listAll(String prefix) throws IOException {
    Map<String, S3Object> out = new HashMap<>();
    String token = null;
    do {
      S3Xml.ListPage page = client.list(target.bucket(), prefix, token, 1000);
      for (S3Object o : page.objects()) {
        out.put(o.key(), o);
      }
      token = page.nextContinuationToken();
    } while (token != null);
    return out;
  }

  /** The files that must go up: those the prefix lacks, or holds with another size or content. */
  private List<LocalFile> decide(
      Map<String, LocalFile> local,
      Map<String, S3Object> remote,
      Options options,
      ExecutorService pool) {
    List<Future<Optional<LocalFile>>> checks = new ArrayList<>();
    for (LocalFile f : local.values()) {
      S3Object r = remote.get(f.key());
      if (r == null || r.size() != f.size()) {
        checks.add(java.util.concurrent.CompletableFuture.completedFuture(Optional.of(f)));
        continue;
      }
      checks.add(
          pool.submit(
              () -> {
                ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
                Optional<Boolean> same =
                    LocalEtag.matches(f.path(), f.size(), r.etag(), options.partSize(), buffer);
                return same.orElse(false) ? Optional.empty() : Optional.of(f);
              }));
    }
    List<LocalFile> out = new ArrayList<>();
    for (Future<Optional<LocalFile>> c : checks) {
      await(c).ifPresent(out::add);
    }
    return out;
  }

  private Map<String, String> upload(
      List<LocalFile> files,
      Map<String, List<S3Client.PendingUpload>> pending,
      Options options,
      ExecutorService pool,
      AtomicInteger resumedParts) {
    Map<String, String> etags = new java.util.concurrent.ConcurrentHashMap<>();
    List<Future<?>> work = new ArrayList<>();
    // Multipart files first, so that their parts spread over the pool; small files fill the gaps.
    List<LocalFile> ordered = new ArrayList<>(files);
    ordered.sort((a, b) -> Long.compare(b.size(), a.size()));
    List<MultipartFile> multiparts = new ArrayList<>();
    for (LocalFile f : ordered) {
      if (f.size() <= options.partSize()) {
        work.add(pool.submit(() -> etags.put(f.key(), putSingle(f))));
      } else {
        MultipartFile m =
            startMultipart(f, pending.getOrDefault(f.key(), List.of()), options, resumedParts);
        multiparts.add(m);
        for (int n = 1; n <= m.parts(); n++) {
          if (!m.done.containsKey(n)) {
            int number = n;
            work.add(pool.submit(() -> m.uploadPart(number)));
          }
        }
      }
    }
    for (Future<?> f : work) {
      await(f);
    }
    for (MultipartFile m : multiparts) {
      etags.put(m.file.key(), m.complete());
    }
    return etags;
  }

  private String putSingle(LocalFile f) {
    return call(
        "uploading " + f.key(),
        () -> {
          try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ)) {
            byte[] md5 = LocalEtag.md5(ch, 0, f.size(), ByteBuffer.allocate(READ_BUFFER));
            String expected = HexFormat.of().formatHex(md5);
            String etag =
                client.putObject(
                    target.bucket(),
                    f.key(),
                    RequestBody.slice(ch, 0, f.size()),
                    b64(md5),
                    Map.of());
            String stored = storedEtag(f.key(), etag, expected);
            sent(f.key(), f.size(), f.size());
            finished(f.key(), f.size());
            return stored;
          }
        });
  }

  private MultipartFile startMultipart(
      LocalFile f,
      List<S3Client.PendingUpload> pending,
      Options options,
      AtomicInteger resumedParts) {
    MultipartFile m = new MultipartFile(f, options.partSize());
    // An interrupted upload of this key: keep the parts that match the file, abort the others.
    for (S3Client.PendingUpload u : pending) {
      if (m.uploadId == null) {
        List<S3Client.UploadedPart> parts =
            call(
                "listing the parts of " + f.key(),
                () -> client.listParts(target.bucket(), f.key(), u.uploadId()));
        Map<Integer, String> reusable = m.reusableParts(parts);
        if (!reusable.isEmpty() || parts.isEmpty()) {
          m.uploadId = u.uploadId();
          m.done.putAll(reusable);
          resumedParts.addAndGet(reusable.size());
          for (int n : reusable.keySet()) {
            sent(f.key(), f.size(), m.length(n)); // Already there: counts as sent.
          }
          if (!reusable.isEmpty()) {
            listener.resumed(f.key(), reusable.size());
          }
          continue;
        }
      }
      call(
          "aborting a stale upload of " + f.key(),
          () -> {
            client.abortMultipartUpload(target.bucket(), f.key(), u.uploadId());
            return Boolean.TRUE;
          });
    }
    if (m.uploadId == null) {
      Map<String, String> meta =
          Map.of("x-amz-meta-stowage-part-size", Long.toString(options.partSize()));
      m.uploadId =
          call(
              "starting the upload of " + f.key(),
              () -> client.createMultipartUpload(target.bucket(), f.key(), meta));
    }
    return m;
  }

  /** One file's multipart upload: its parts, their MD5s, the ETag they must add up to. */
  private final class MultipartFile {
    final LocalFile file;
    final long partSize;
    final Map<Integer, String> done = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<Integer, byte[]> md5s = new java.util.concurrent.ConcurrentHashMap<>();
    volatile @Nullable String uploadId;

    String uploadId() {
      String id = uploadId;
      if (id == null) {
        throw new IllegalStateException("upload of " + file.key() + " not started");
      }
      return id;
    }

    MultipartFile(LocalFile file, long partSize) {
      this.file = file;
      this.partSize = partSize;
    }

    int parts() {
      return (int) ((file.size() + partSize - 1) / partSize);
    }

    long offset(int number) {
      return (number - 1) * partSize;
    }

    long length(int number) {
      return Math.min(partSize, file.size() - offset(number));
    }

    /** Uploaded parts that have this file's bytes at the same place (same size, same MD5). */
    Map<Integer, String> reusableParts(List<S3Client.UploadedPart> parts) {
      Map<Integer, String> ok = new HashMap<>();
      try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        for (S3Client.UploadedPart p : parts) {
          if (p.number() < 1 || p.number() > parts() || p.size() != length(p.number())) {
            return Map.of();
          }
          byte[] md5 = LocalEtag.md5(ch, offset(p.number()), length(p.number()), buffer);
          if (!S3Layout.unquote(p.etag()).equalsIgnoreCase(HexFormat.of().formatHex(md5))) {
            return Map.of();
          }
          md5s.put(p.number(), md5);
          ok.put(p.number(), p.etag());
        }
      } catch (IOException e) {
        return Map.of();
      }
      return ok;
    }

    Boolean uploadPart(int number) {
      call(
          "uploading part " + number + " of " + file.key(),
          () -> {
            try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
              byte[] md5 =
                  LocalEtag.md5(
                      ch, offset(number), length(number), ByteBuffer.allocate(READ_BUFFER));
              String etag =
                  client.uploadPart(
                      target.bucket(),
                      file.key(),
                      uploadId(),
                      number,
                      RequestBody.slice(ch, offset(number), length(number)),
                      b64(md5));
              // The store checked the bytes against the signed Content-MD5.
              md5s.put(number, md5);
              done.put(number, etag);
              sent(file.key(), file.size(), length(number));
              return Boolean.TRUE;
            }
          });
      return Boolean.TRUE;
    }

    /** Completes the upload; the multipart ETag should be the one computed from the parts. */
    String complete() {
      List<S3Client.UploadedPart> parts = new ArrayList<>();
      MessageDigest ofParts = md5();
      for (int n = 1; n <= parts(); n++) {
        String etag = done.get(n);
        byte[] md5 = md5s.get(n);
        if (etag == null || md5 == null) {
          throw new StorageException(
              Failure.INTERNAL, "Part " + n + " of " + file.key() + " was not uploaded");
        }
        parts.add(new S3Client.UploadedPart(n, length(n), etag));
        ofParts.update(md5);
      }
      String expected = HexFormat.of().formatHex(ofParts.digest()) + "-" + parts();
      String etag =
          call(
              "completing the upload of " + file.key(),
              () -> client.completeMultipartUpload(target.bucket(), file.key(), uploadId(), parts));
      String stored = storedEtag(file.key(), etag, expected);
      finished(file.key(), file.size());
      return stored;
    }
  }

  /**
   * The ETag the store gave an object we wrote. The bytes themselves were checked by the store
   * against the signed Content-MD5 of every request, so an ETag that is not the MD5 (SSE-KMS,
   * SSE-C, some third-party stores) is no sign of damage: it is reported once, and the ETag is
   * still what the final listing must show.
   */
  private String storedEtag(String key, String etag, String expected) {
    String got = S3Layout.unquote(etag).toLowerCase(Locale.ROOT);
    if (got.isEmpty()) {
      return expected;
    }
    if (!got.equals(expected) && etagsAreMd5.compareAndSet(true, false)) {
      listener.warning(
          "The store's ETags are not content MD5s (ETag "
              + got
              + " for "
              + key
              + ", MD5 "
              + expected
              + "), as with SSE-KMS: uploads are still checked by Content-MD5, but unchanged"
              + " files cannot be recognized and will be uploaded again");
    }
    return got;
  }

  /**
   * Once every file is in place, an unfinished upload of any of its keys is stale, and would be
   * billed forever: an interrupted push's (its file since uploaded whole, by this run or someone
   * else), or one a killed push had in flight that landed after this run listed the uploads. So the
   * uploads are listed again and those of the directory's keys aborted. Uploads of keys the
   * directory does not have may be another writer's and are left to {@code --delete}.
   */
  private void abortStale(Map<String, LocalFile> local) {
    List<S3Client.PendingUpload> now =
        call(
            "listing uploads under " + target.display(),
            () -> client.listMultipartUploads(target.bucket(), prefix()));
    for (S3Client.PendingUpload u : now) {
      if (local.containsKey(u.key())) {
        call(
            "aborting a stale upload of " + u.key(),
            () -> {
              client.abortMultipartUpload(target.bucket(), u.key(), u.uploadId());
              return Boolean.TRUE;
            });
      }
    }
  }

  private int deleteExtra(
      Map<String, LocalFile> local,
      Map<String, S3Object> remote,
      Map<String, List<S3Client.PendingUpload>> pending) {
    int deleted = 0;
    for (S3Object o : remote.values()) {
      if (!local.containsKey(o.key()) && !o.key().endsWith("/")) {
        call(
            "deleting " + o.key(),
            () -> {
              client.deleteObject(target.bucket(), o.key());
              return Boolean.TRUE;
            });
        listener.deleted(o.key());
        deleted++;
      }
    }
    for (Map.Entry<String, List<S3Client.PendingUpload>> e : pending.entrySet()) {
      if (!local.containsKey(e.getKey())) {
        for (S3Client.PendingUpload u : e.getValue()) {
          call(
              "aborting an upload of " + e.getKey(),
              () -> {
                client.abortMultipartUpload(target.bucket(), e.getKey(), u.uploadId());
                return Boolean.TRUE;
              });
        }
      }
    }
    return deleted;
  }

  /** The prefix must now hold every file with its size, and what was uploaded with its ETag. */
  private void verify(
      Map<String, LocalFile> local, Map<String, String> uploadedEtags, Options options) {
    Map<String, S3Object> after =
        call("listing " + target.display() + " to verify it", () -> listAll(prefix()));
    List<String> problems = new ArrayList<>();
    for (LocalFile f : local.values()) {
      S3Object o = after.get(f.key());
      if (o == null) {
        problems.add(f.key() + " is missing");
      } else if (o.size() != f.size()) {
        problems.add(f.key() + " has " + o.size() + " bytes, not " + f.size());
      } else {
        String expected = uploadedEtags.get(f.key());
        if (expected != null && !S3Layout.unquote(o.etag()).equalsIgnoreCase(expected)) {
          problems.add(f.key() + " has ETag " + o.etag() + ", not " + expected);
        }
      }
    }
    if (options.delete()) {
      for (String key : after.keySet()) {
        if (!local.containsKey(key) && !key.endsWith("/")) {
          problems.add(key + " is still there");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw StorageException.integrity(
          "After the push, "
              + target.display()
              + " does not match the directory: "
              + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
              + (problems.size() > 5 ? " (and " + (problems.size() - 5) + " more)" : ""));
    }
  }

  /** Runs an S3 call with the retry policy; failures are classified as the initializer does. */
  private <T> T call(String doing, RetryPolicy.Attempt<T> call) {
    return retry.call(doing, call, S3Failures::isPermanent, failures::classify);
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StorageException s) {
        throw s;
      }
      throw new StorageException(Failure.INTERNAL, "Internal error: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(Failure.INTERNAL, "Interrupted", e);
    }
  }

  private static String b64(byte[] md5) {
    return Base64.getEncoder().encodeToString(md5);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
