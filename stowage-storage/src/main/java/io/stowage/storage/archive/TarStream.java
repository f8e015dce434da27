package io.stowage.storage.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jspecify.annotations.Nullable;

/**
 * A tar reader that also keeps each member's name exactly as the archive spells it.
 *
 * <p>commons-compress silently drops leading {@code /} from names that come from a PAX {@code path}
 * record or a GNU long-name block (only ustar names keep them), so an absolute member would pass
 * unnoticed. This reader watches the bytes of those pseudo-members as the parent parses them and
 * reports the raw name through {@link #rawName}. It also bounds them: a PAX header or long name
 * above {@link #MAX_EXTENDED_HEADER} bytes is refused before it can fill the heap.
 */
final class TarStream extends TarArchiveInputStream {
  static final int MAX_EXTENDED_HEADER = 1 << 20;

  private final ByteArrayOutputStream localPax = new ByteArrayOutputStream();
  private final ByteArrayOutputStream globalPax = new ByteArrayOutputStream();
  private final ByteArrayOutputStream longName = new ByteArrayOutputStream();

  /** The pseudo-member whose bytes are being captured. */
  private @Nullable TarArchiveEntry capturing;

  /** The {@code path} of the last global PAX header that had one; it applies to every member. */
  private @Nullable String globalPath;

  private int depth;

  TarStream(InputStream in) {
    super(in, StandardCharsets.UTF_8.name());
  }

  @Override
  public @Nullable TarArchiveEntry getNextEntry() throws IOException {
    // The parent calls this method again from inside itself for the member that follows a PAX
    // header or a long name; only the outermost call starts a new member.
    if (depth++ == 0) {
      localPax.reset();
      longName.reset();
      globalPax.reset();
    }
    try {
      return super.getNextEntry();
    } finally {
      if (--depth == 0 && globalPax.size() > 0) {
        String path = paxPath(globalPax);
        if (path != null) {
          globalPath = path;
        }
      }
    }
  }

  @Override
  @SuppressWarnings("ReferenceEquality") // the same header entry, not an equal-named one
  public int read(byte[] b, int off, int len) throws IOException {
    TarArchiveEntry current = getCurrentEntry();
    ByteArrayOutputStream capture = null;
    if (current != null) {
      if (current.isPaxHeader()) {
        capture = localPax;
      } else if (current.isGlobalPaxHeader()) {
        capture = globalPax;
      } else if (current.isGNULongNameEntry()) {
        capture = longName;
      }
    }
    if (capture == null || current == null) {
      return super.read(b, off, len);
    }
    if (current.getSize() > MAX_EXTENDED_HEADER) {
      throw new IOException(
          "an extended header or long name of "
              + current.getSize()
              + " bytes, more than the "
              + MAX_EXTENDED_HEADER
              + " allowed");
    }
    if (current != capturing) {
      capturing = current;
      capture.reset();
    }
    int n = super.read(b, off, len);
    if (n > 0) {
      capture.write(b, off, n);
    }
    return n;
  }

  /**
   * The current member's name as the archive spells it, leading {@code /} included, by the same
   * precedence the parent applies: a PAX {@code path} (local, then global), a GNU long name, the
   * header's own name field.
   */
  String rawName(TarArchiveEntry entry) {
    String path = paxPath(localPax);
    if (path != null) {
      return path;
    }
    if (globalPath != null) {
      return globalPath;
    }
    if (longName.size() > 0) {
      byte[] bytes = longName.toByteArray();
      int end = 0;
      while (end < bytes.length && bytes[end] != 0) {
        end++;
      }
      return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
    return entry.getName();
  }

  /**
   * The {@code path} record of PAX extended header data ({@code "<length> <key>=<value>\n"}
   * records), or null. The parent has already parsed the same bytes, so they are well formed.
   */
  private static @Nullable String paxPath(ByteArrayOutputStream header) {
    if (header.size() == 0) {
      return null;
    }
    byte[] data = header.toByteArray();
    String found = null;
    int pos = 0;
    while (pos < data.length) {
      int space = pos;
      long length = 0;
      while (space < data.length && data[space] >= '0' && data[space] <= '9') {
        length = length * 10 + (data[space] - '0');
        space++;
      }
      if (space >= data.length || data[space] != ' ' || length <= 0) {
        break;
      }
      int end = (int) Math.min(data.length, pos + length);
      int keyStart = space + 1;
      int eq = keyStart;
      while (eq < end && data[eq] != '=') {
        eq++;
      }
      String key = new String(data, keyStart, eq - keyStart, StandardCharsets.UTF_8);
      if (key.equals("path") && eq < end) {
        int valueEnd = end > eq + 1 && data[end - 1] == '\n' ? end - 1 : end;
        found = new String(data, eq + 1, valueEnd - eq - 1, StandardCharsets.UTF_8);
      }
      pos = end;
    }
    return found;
  }
}
