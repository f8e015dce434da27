/**
 * Plain HTTP(S) URLs as a source: one file per URI, fetched in ranges when the server serves them,
 * with KServe's per-host headers, redirects and status messages.
 */
@NullMarked
package io.stowage.storage.http;

import org.jspecify.annotations.NullMarked;
