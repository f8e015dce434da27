/**
 * S3 and S3-compatible stores: addressing, Signature Version 4, credentials, listing with KServe's
 * layout rules, and ranged reads for the transfer engine.
 */
@NullMarked
package io.stowage.storage.s3;

import org.jspecify.annotations.NullMarked;
