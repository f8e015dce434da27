package io.stowage.oci.pull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads tar headers (ustar, PAX local and global headers, GNU long names and links, base-256
 * sizes), leaving member data to the caller: after {@link #next} the input is at the member's first
 * data byte, and the caller consumes {@link TarMember#dataSize()} bytes (or has them fetched
 * elsewhere and moves the input past them) before calling {@link #next} again.
 */
final class TarParser {
  static final int BLOCK = 512;
  private static final int MAX_EXTENDED = 1 << 20;

  private final LayerInput in;
  private final byte[] block = new byte[BLOCK];
  private final Map<String, String> global = new HashMap<>();
  private long pendingPadding;

  TarParser(LayerInput in) {
    this.in = in;
  }

  /** Called by the caller once it consumed a member's data: the padding to the next block. */
  void dataConsumed(long dataSize) {
    pendingPadding = (BLOCK - dataSize % BLOCK) % BLOCK;
  }

  /** The next member, or null at the end of the archive. */
  @Nullable TarMember next() throws IOException {
    if (pendingPadding > 0) {
      long left = pendingPadding;
      pendingPadding = 0;
      // Some writers (umoci 0.4) end the stream right after the last member's data, without
      // padding or end blocks; tar and Go's reader take that as the end, and so do we.
      while (left > 0) {
        int r = in.read(block, 0, (int) left);
        if (r < 0) {
          return null;
        }
        left -= r;
      }
    }
    Map<String, String> local = new HashMap<>();
    String longName = null;
    String longLink = null;
    while (true) {
      if (!readBlock()) {
        return null;
      }
      if (isZero(block)) {
        // End of archive: a second zero block may follow; whatever follows is read by the caller
        // to finish the digest.
        return null;
      }
      checkChecksum();
      char type = (char) (block[156] & 0xff);
      long size = size();
      String name = string(0, 100);
      String link = string(157, 100);
      if (isUstar()) {
        String prefix = string(345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
      }
      int mode = (int) octal(100, 8);
      switch (type) {
        case 'x' -> {
          local.putAll(pax(readData(size)));
          continue;
        }
        case 'g' -> {
          global.putAll(pax(readData(size)));
          continue;
        }
        case 'L' -> {
          longName = cString(readData(size));
          continue;
        }
        case 'K' -> {
          longLink = cString(readData(size));
          continue;
        }
        default -> {
          // A member.
        }
      }
      Map<String, String> pax = new HashMap<>(global);
      pax.putAll(local);
      if (longName != null) {
        name = longName;
      }
      if (longLink != null) {
        link = longLink;
      }
      name = pax.getOrDefault("path", name);
      link = pax.getOrDefault("linkpath", link);
      String paxSize = pax.get("size");
      if (paxSize != null) {
        try {
          size = Long.parseLong(paxSize.strip());
        } catch (NumberFormatException e) {
          throw new IOException("invalid PAX size '" + paxSize + "' for member " + name);
        }
      }
      if (size < 0) {
        throw new IOException("negative size for member " + name);
      }
      return new TarMember(name, type, size, mode, link);
    }
  }

  private boolean readBlock() throws IOException {
    int done = 0;
    while (done < BLOCK) {
      int r = in.read(block, done, BLOCK - done);
      if (r < 0) {
        if (done == 0) {
          return false; // Missing end blocks: tolerated, as tar tolerates them.
        }
        throw new java.io.EOFException("layer ends inside a tar header");
      }
      done += r;
    }
    return true;
  }

  private byte[] readData(long size) throws IOException {
    if (size > MAX_EXTENDED) {
      throw new IOException("extended header of " + size + " bytes, more than " + MAX_EXTENDED);
    }
    byte[] data = new byte[(int) size];
    in.readFully(data, 0, data.length);
    long pad = (BLOCK - size % BLOCK) % BLOCK;
    in.skip(pad);
    return data;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private boolean isUstar() {
    return block[257] == 'u'
        && block[258] == 's'
        && block[259] == 't'
        && block[260] == 'a'
        && block[261] == 'r';
  }

  private void checkChecksum() throws IOException {
    long stored = octal(148, 8);
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : block[i];
      unsigned += b & 0xff;
      signed += (i >= 148 && i < 156) ? ' ' : block[i];
    }
    if (stored != unsigned && stored != signed) {
      throw new IOException("tar header checksum mismatch (not a tar, or damaged)");
    }
  }

  private long size() throws IOException {
    if ((block[124] & 0x80) != 0) {
      long v = 0;
      for (int i = 125; i < 136; i++) {
        if ((v >>> 55) != 0) {
          throw new IOException("member size too large");
        }
        v = (v << 8) | (block[i] & 0xff);
      }
      return v;
    }
    return octal(124, 12);
  }

  private long octal(int off, int len) throws IOException {
    long v = 0;
    int i = off;
    int end = off + len;
    while (i < end && (block[i] == ' ' || block[i] == 0)) {
      i++;
    }
    for (; i < end; i++) {
      byte b = block[i];
      if (b == 0 || b == ' ') {
        break;
      }
      if (b < '0' || b > '7') {
        throw new IOException("invalid octal number in a tar header");
      }
      v = (v << 3) + (b - '0');
    }
    return v;
  }

  private String string(int off, int len) {
    int end = off;
    while (end < off + len && block[end] != 0) {
      end++;
    }
    return new String(block, off, end - off, StandardCharsets.UTF_8);
  }

  private static String cString(byte[] data) {
    int end = 0;
    while (end < data.length && data[end] != 0) {
      end++;
    }
    return new String(data, 0, end, StandardCharsets.UTF_8);
  }

  /** PAX records {@code "<len> <key>=<value>\n"}. */
  static Map<String, String> pax(byte[] data) throws IOException {
    Map<String, String> out = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      int space = pos;
      long length = 0;
      while (space < data.length && data[space] >= '0' && data[space] <= '9') {
        length = length * 10 + (data[space] - '0');
        space++;
      }
      if (data[pos] == 0) {
        break;
      }
      if (space >= data.length
          || data[space] != ' '
          || length <= space - pos
          || pos + length > data.length) {
        throw new IOException("malformed PAX extended header");
      }
      int end = (int) (pos + length);
      int eq = space + 1;
      while (eq < end && data[eq] != '=') {
        eq++;
      }
      if (eq >= end) {
        throw new IOException("malformed PAX record");
      }
      String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
      int valueEnd = data[end - 1] == '\n' ? end - 1 : end;
      out.put(key, new String(data, eq + 1, valueEnd - eq - 1, StandardCharsets.UTF_8));
      pos = end;
    }
    return out;
  }
}
