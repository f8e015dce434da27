package io.stowage.oci.pack;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tar headers as every reader takes them: ustar, with a PAX extended header only when a name or
 * link target does not fit, or a size needs more than 11 octal digits. Owner 0:0, no user or group
 * names, modification time 0: the same files always give the same bytes.
 */
final class TarHeaders {
  static final int BLOCK = 512;
  private static final long MAX_OCTAL_SIZE = 077777777777L;

  private TarHeaders() {}

  /** The header block(s) of {@code e}. */
  static byte[] of(TarEntry e) {
    String name = e.kind() == TarEntry.Kind.DIRECTORY ? e.name() + "/" : e.name();
    String link = e.linkTarget() == null ? "" : e.linkTarget();
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
    String[] split = splitName(nameBytes, name);
    StringBuilder pax = new StringBuilder();
    if (split == null) {
      pax.append(record("path", name));
    }
    if (linkBytes.length > 100) {
      pax.append(record("linkpath", link));
    }
    if (e.size() > MAX_OCTAL_SIZE) {
      pax.append(record("size", Long.toString(e.size())));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (pax.length() > 0) {
      byte[] data = pax.toString().getBytes(StandardCharsets.UTF_8);
      byte[] h = ustar("PaxHeaders/" + truncate(name, 80), "", 0644, data.length, 'x', "");
      out.writeBytes(h);
      out.writeBytes(data);
      out.writeBytes(new byte[padding(data.length)]);
    }
    String plainName = split == null ? truncate(name, 100) : split[1];
    String prefix = split == null ? "" : split[0];
    char type =
        switch (e.kind()) {
          case DIRECTORY -> '5';
          case FILE -> '0';
          case SYMLINK -> '2';
        };
    out.writeBytes(
        ustar(plainName, prefix, e.mode(), e.size(), type, linkBytes.length > 100 ? "" : link));
    return out.toByteArray();
  }

  /** Zero bytes that round {@code size} up to a whole block. */
  static int padding(long size) {
    return (int) ((BLOCK - size % BLOCK) % BLOCK);
  }

  /** Two zero blocks close a tar. */
  static byte[] end() {
    return new byte[2 * BLOCK];
  }

  /** {@code [prefix, name]} when the name fits ustar's fields, null when it needs PAX. */
  private static String @org.jspecify.annotations.Nullable [] splitName(byte[] bytes, String name) {
    if (bytes.length <= 100) {
      return new String[] {"", name};
    }
    for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
      byte[] p = name.substring(0, i).getBytes(StandardCharsets.UTF_8);
      byte[] n = name.substring(i + 1).getBytes(StandardCharsets.UTF_8);
      if (p.length <= 155 && n.length <= 100 && n.length > 0) {
        return new String[] {name.substring(0, i), name.substring(i + 1)};
      }
    }
    return null;
  }

  private static String truncate(String s, int maxBytes) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length <= maxBytes) {
      return s;
    }
    return new String(Arrays.copyOf(b, maxBytes), StandardCharsets.US_ASCII)
        .replaceAll("[^ -~]", "_");
  }

  /** A PAX record: {@code "<length> <key>=<value>\n"}, the length counting itself. */
  private static String record(String key, String value) {
    int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
    int length = body + Integer.toString(body).length();
    if (Integer.toString(length).length() != Integer.toString(body).length()) {
      length++;
    }
    return length + " " + key + "=" + value + "\n";
  }

  private static byte[] ustar(
      String name, String prefix, int mode, long size, char type, String link) {
    byte[] h = new byte[BLOCK];
    put(h, 0, 100, name);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    if (size > MAX_OCTAL_SIZE) {
      // Base-256 for readers that ignore the PAX size record.
      h[124] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        h[135 - i] = (byte) (size >>> (8 * i));
      }
    } else {
      octal(h, 124, 12, size);
    }
    octal(h, 136, 12, 0);
    Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = (byte) type;
    put(h, 157, 100, link);
    put(h, 257, 6, "ustar");
    h[263] = '0';
    h[264] = '0';
    octal(h, 329, 8, 0);
    octal(h, 337, 8, 0);
    put(h, 345, 155, prefix);
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    String s = String.format(java.util.Locale.ROOT, "%06o", sum);
    put(h, 148, 6, s);
    h[154] = 0;
    h[155] = ' ';
    return h;
  }

  private static void put(byte[] h, int off, int len, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, h, off, Math.min(len, b.length));
  }

  /** {@code len - 1} octal digits and a NUL. */
  private static void octal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
    put(h, off, len - 1, padded);
    h[off + len - 1] = 0;
  }
}
