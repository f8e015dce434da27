/**
 * A small HTTP/1.1 client built for bulk transfers: blocking NIO channels reading straight into
 * direct buffers (no copies on plain connections), connection reuse, TLS, forward proxies, and a
 * watchdog that aborts exchanges that stop making progress.
 */
@NullMarked
package io.stowage.storage.net;

import org.jspecify.annotations.NullMarked;
