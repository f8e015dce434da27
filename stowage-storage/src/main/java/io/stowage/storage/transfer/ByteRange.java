package io.stowage.storage.transfer;

/** The bytes {@code [start, end)} of a file. */
public record ByteRange(long start, long end) implements Comparable<ByteRange> {
  public ByteRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("Invalid range [" + start + ", " + end + ")");
    }
  }

  public long length() {
    return end - start;
  }

  @Override
  public int compareTo(ByteRange o) {
    return start != o.start ? Long.compare(start, o.start) : Long.compare(end, o.end);
  }
}
