package io.stowage.testkit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The layout of a one-tensor safetensors file of an exact total size: an 8-byte little-endian
 * header length, a JSON header (padded with spaces, which the format allows), then the tensor's raw
 * bytes.
 */
final class SafetensorsShard {

  /** Below this there is no room for a header and at least a little data. */
  static final long MIN_FILE_BYTES = 256;

  private final byte[] header;
  private final long dataBytes;

  private SafetensorsShard(byte[] header, long dataBytes) {
    this.header = header;
    this.dataBytes = dataBytes;
  }

  static void requireRoom(long fileBytes) {
    if (fileBytes < MIN_FILE_BYTES) {
      throw new IllegalArgumentException(
          "a shard needs at least " + MIN_FILE_BYTES + " bytes, got " + fileBytes);
    }
  }

  static SafetensorsShard of(String tensor, long fileBytes) {
    requireRoom(fileBytes);
    // The header mentions the data size, whose digit count depends on the header length. Size it
    // for the file size (at least as many digits), then pad the real header to close the gap.
    long dataBytes = fileBytes - Long.BYTES - json(tensor, fileBytes).length;
    byte[] json = json(tensor, dataBytes);
    int headerLength = (int) (fileBytes - Long.BYTES - dataBytes);
    byte[] padded = Arrays.copyOf(json, headerLength);
    Arrays.fill(padded, json.length, headerLength, (byte) ' ');
    ByteBuffer header =
        ByteBuffer.allocate(Long.BYTES + headerLength).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(headerLength).put(padded);
    return new SafetensorsShard(header.array(), dataBytes);
  }

  /** The length prefix and the padded JSON header, ready to write. */
  ByteBuffer header() {
    return ByteBuffer.wrap(header).asReadOnlyBuffer();
  }

  /** The tensor's size, which fills the file up to the requested size. */
  long dataBytes() {
    return dataBytes;
  }

  private static byte[] json(String tensor, long dataBytes) {
    return ("{\"__metadata__\":{\"format\":\"pt\"},\""
            + tensor
            + "\":{\"dtype\":\"U8\",\"shape\":["
            + dataBytes
            + "],\"data_offsets\":[0,"
            + dataBytes
            + "]}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
