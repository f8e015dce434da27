package io.stowage.oci.pull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Layer tars for tests, written by commons-compress (an independent writer), hostile ones too. */
final class Layers {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  Layers() {
    tar = new TarArchiveOutputStream(bytes);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  Layers dir(String name) {
    return entry(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true), null);
  }

  Layers file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  Layers file(String name, byte[] content) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(content.length);
    return entry(e, content);
  }

  Layers symlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    e.setLinkName(target);
    return entry(e, null);
  }

  Layers hardLink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    e.setLinkName(target);
    return entry(e, null);
  }

  Layers device(String name) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
    return entry(e, null);
  }

  private Layers entry(TarArchiveEntry e, byte @org.jspecify.annotations.Nullable [] content) {
    try {
      tar.putArchiveEntry(e);
      if (content != null) {
        tar.write(content);
      }
      tar.closeArchiveEntry();
      return this;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  byte[] bytes() {
    try {
      tar.finish();
      tar.close();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
