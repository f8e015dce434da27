/**
 * {@code stowage verify}: a materialized model against its manifest (missing, extra, changed files)
 * and, for images, against the image's layers, each verified by its digest.
 */
@NullMarked
package io.stowage.oci.verify;

import org.jspecify.annotations.NullMarked;
