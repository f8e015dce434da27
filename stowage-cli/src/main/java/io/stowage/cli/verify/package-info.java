/** {@code stowage verify}: a materialized model against its manifest and, for images, the image. */
@NullMarked
package io.stowage.cli.verify;

import org.jspecify.annotations.NullMarked;
