package io.stowage.testkit;

/**
 * A file in a commit of a {@link HubServer} repository, with the ids the Hub reports for it.
 *
 * <p>A regular file is stored in git as a blob of its bytes, so its {@code oid} is the git blob id
 * of the content. An LFS file is stored in git as a pointer file, so its {@code oid} is the blob id
 * of the pointer, and the content is identified by its SHA-256 ({@code lfs.oid} in the tree API,
 * the ETag on the CDN).
 */
final class HubFile {

  final String path;
  final ServedContent content;
  final String oid;
  final String sha256;
  final boolean lfs;
  final long pointerSize;

  private HubFile(
      String path,
      ServedContent content,
      String oid,
      String sha256,
      boolean lfs,
      long pointerSize) {
    this.path = path;
    this.content = content;
    this.oid = oid;
    this.sha256 = sha256;
    this.lfs = lfs;
    this.pointerSize = pointerSize;
  }

  /** Hashes the content (one pass, streamed for files on disk). */
  static HubFile of(String path, ServedContent content, boolean lfs) {
    GitObjects.Hashes hashes = GitObjects.hashes(content);
    if (!lfs) {
      return new HubFile(path, content, hashes.blobOid(), hashes.sha256(), false, 0);
    }
    byte[] pointer = GitObjects.lfsPointer(hashes.sha256(), content.size());
    return new HubFile(
        path, content, GitObjects.blobOid(pointer), hashes.sha256(), true, pointer.length);
  }

  long size() {
    return content.size();
  }
}
