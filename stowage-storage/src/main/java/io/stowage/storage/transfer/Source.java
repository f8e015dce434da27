package io.stowage.storage.transfer;

import io.stowage.storage.StorageException;
import java.io.IOException;
import java.util.List;

/** A place models are fetched from: it lists files and serves byte ranges of them. */
public interface Source {

  /** The source's URI, safe to print. */
  String display();

  /**
   * The files the URI resolves to, with the layout they get under the destination.
   *
   * @throws StorageException classified, with a message naming what to fix
   */
  List<RemoteFile> list();

  /** Opens {@code [start, endExclusive)} of the file; failures here are retried by the engine. */
  RangeStream open(RemoteFile file, long start, long endExclusive) throws IOException;

  /** True when retrying cannot help (certificate not trusted, proxy refusing, ...). */
  boolean isPermanent(IOException e);

  /** Turns a transport failure that outlived its retries into a classified, actionable failure. */
  StorageException classify(IOException e, String doing);
}
