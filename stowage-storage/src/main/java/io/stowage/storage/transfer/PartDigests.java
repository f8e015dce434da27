package io.stowage.storage.transfer;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;

/**
 * The digest of a multipart object's part digests: each {@code partSize} bytes are hashed on their
 * own, and the result is the same algorithm over the concatenated raw part digests. This is how S3
 * builds a multipart ETag (MD5 of the parts' MD5s) and a composite checksum; the {@code -N} suffix
 * S3 appends is implied by the size and the part size. Bytes must arrive in order, as the engine
 * hashes them.
 */
final class PartDigests extends MessageDigest {
  private final Verification.Algorithm algorithm;
  private final long partSize;
  private final ByteArrayOutputStream parts = new ByteArrayOutputStream();
  private MessageDigest part;
  private long inPart;

  PartDigests(Verification.Algorithm algorithm, long partSize) {
    super(algorithm.label() + " of parts");
    if (partSize <= 0) {
      throw new IllegalArgumentException("part size " + partSize);
    }
    this.algorithm = algorithm;
    this.partSize = partSize;
    this.part = algorithm.newDigest(0);
  }

  @Override
  protected void engineUpdate(byte input) {
    engineUpdate(new byte[] {input}, 0, 1);
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int len) {
    int pos = offset;
    int end = offset + len;
    while (pos < end) {
      int n = (int) Math.min(end - pos, partSize - inPart);
      part.update(input, pos, n);
      pos += n;
      inPart += n;
      if (inPart == partSize) {
        endPart();
      }
    }
  }

  private void endPart() {
    parts.writeBytes(part.digest());
    inPart = 0;
  }

  @Override
  protected byte[] engineDigest() {
    if (inPart > 0) {
      endPart();
    }
    MessageDigest outer = algorithm.newDigest(0);
    byte[] out = outer.digest(parts.toByteArray());
    engineReset();
    return out;
  }

  @Override
  protected void engineReset() {
    parts.reset();
    part = algorithm.newDigest(0);
    inPart = 0;
  }
}
