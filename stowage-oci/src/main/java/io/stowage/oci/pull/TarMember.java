package io.stowage.oci.pull;

/**
 * One member of a layer tar as its headers describe it (PAX and GNU long names applied).
 *
 * @param type the ustar type flag ({@code '0'} file, {@code '5'} directory, {@code '2'} symbolic
 *     link, {@code '1'} hard link, ...)
 */
record TarMember(String name, char type, long size, int mode, String linkName) {

  boolean isRegular() {
    return type == '0' || type == '\0' || type == '7';
  }

  boolean isDirectory() {
    return type == '5';
  }

  boolean isSymlink() {
    return type == '2';
  }

  boolean isHardLink() {
    return type == '1';
  }

  /** Devices and FIFOs: never extracted. */
  boolean isSpecial() {
    return type == '3' || type == '4' || type == '6';
  }

  /** Bytes of data that follow the header (links and directories have none). */
  long dataSize() {
    return isSymlink() || isHardLink() || isDirectory() || isSpecial() ? 0 : size;
  }
}
