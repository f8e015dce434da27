package io.stowage.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The object ids git (and so the Hugging Face Hub) gives blobs, trees and commits: the SHA-1 of a
 * header {@code "<type> <size>\0"} followed by the object's bytes. Also the Git LFS pointer file
 * that stands in a repository for a large file.
 */
final class GitObjects {

  private static final HexFormat HEX = HexFormat.of();
  private static final String FILE_MODE = "100644";
  private static final String TREE_MODE = "40000";

  /** One entry of a git tree: a file or a subdirectory, by its name inside the directory. */
  record TreeItem(String name, boolean directory, String oid) {}

  /** A file's blob id and content SHA-256, computed in one pass over the content. */
  record Hashes(String blobOid, String sha256) {}

  private GitObjects() {}

  /** {@code git hash-object} of {@code content}. */
  static String blobOid(byte[] content) {
    MessageDigest sha1 = ServedContent.digest("SHA-1");
    sha1.update(header("blob", content.length));
    sha1.update(content);
    return HEX.formatHex(sha1.digest());
  }

  static Hashes hashes(ServedContent content) {
    MessageDigest sha1 = ServedContent.digest("SHA-1");
    MessageDigest sha256 = ServedContent.digest("SHA-256");
    sha1.update(header("blob", content.size()));
    content.digest(sha1, sha256);
    return new Hashes(HEX.formatHex(sha1.digest()), HEX.formatHex(sha256.digest()));
  }

  /** The Git LFS pointer file (spec v1) git stores in place of a large file. */
  static byte[] lfsPointer(String sha256, long size) {
    return ("version https://git-lfs.github.com/spec/v1\noid sha256:"
            + sha256
            + "\nsize "
            + size
            + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The id of a tree holding {@code items}, sorted as git sorts them: by name bytes, a directory's
   * name compared as if it ended in {@code /}.
   */
  static String treeOid(List<TreeItem> items) {
    List<TreeItem> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparing(GitObjects::sortKey, Arrays::compareUnsigned));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (TreeItem item : sorted) {
      byte[] entryHead =
          ((item.directory() ? TREE_MODE : FILE_MODE) + " " + item.name())
              .getBytes(StandardCharsets.UTF_8);
      body.write(entryHead, 0, entryHead.length);
      body.write(0);
      byte[] oid = HEX.parseHex(item.oid());
      body.write(oid, 0, oid.length);
    }
    return objectId("tree", body.toByteArray());
  }

  /** The id of a commit of {@code treeOid}, authored and committed by the testkit. */
  static String commitOid(
      String treeOid, @Nullable String parentOid, long epochSeconds, String message) {
    String signature = "Stowage Testkit <testkit@stowage.invalid> " + epochSeconds + " +0000";
    String text =
        "tree "
            + treeOid
            + "\n"
            + (parentOid == null ? "" : "parent " + parentOid + "\n")
            + "author "
            + signature
            + "\ncommitter "
            + signature
            + "\n\n"
            + message
            + "\n";
    return objectId("commit", text.getBytes(StandardCharsets.UTF_8));
  }

  static boolean isObjectId(String text) {
    if (text.length() != 40) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0 || Character.isUpperCase(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static String objectId(String type, byte[] body) {
    MessageDigest sha1 = ServedContent.digest("SHA-1");
    sha1.update(header(type, body.length));
    sha1.update(body);
    return HEX.formatHex(sha1.digest());
  }

  private static byte[] header(String type, long size) {
    return (type + " " + size + "\0").getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] sortKey(TreeItem item) {
    return (item.directory() ? item.name() + "/" : item.name()).getBytes(StandardCharsets.UTF_8);
  }
}
