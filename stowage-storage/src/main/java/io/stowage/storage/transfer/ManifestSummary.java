package io.stowage.storage.transfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What a destination holds of one source, from its manifest: the file count, the bytes, and one
 * digest, SHA-256 over the source's file lines sorted by path: path, size, the version the source
 * gave (ETag, version ID, commit) and the content digest the file was verified against, if any (an
 * HTTP server may offer neither a checksum nor more than a Last-Modified). Times and sessions are
 * left out, so every replica that fetched the same files gets the same digest, and a changed, added
 * or removed file gives another.
 */
public record ManifestSummary(int files, long bytes, String digest) {

  /** Empty when the destination has no manifest or none of its files came from {@code source}. */
  public static Optional<ManifestSummary> of(Path destination, String source) {
    List<Manifest.FileEntry> entries;
    try (Manifest manifest = Manifest.readOnly(destination)) {
      entries =
          manifest.published().values().stream()
              .filter(e -> e.source().equals(source))
              .sorted(Comparator.comparing(e -> e.path().toString()))
              .toList();
    } catch (IOException e) {
      return Optional.empty();
    }
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    MessageDigest sha256 = sha256();
    long bytes = 0;
    for (Manifest.FileEntry e : entries) {
      String line = e.path() + "\t" + e.size() + "\t" + e.version() + "\t" + e.digest() + "\n";
      sha256.update(line.getBytes(StandardCharsets.UTF_8));
      bytes += e.size();
    }
    String digest = "sha256:" + HexFormat.of().formatHex(sha256.digest());
    return Optional.of(new ManifestSummary(entries.size(), bytes, digest));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
