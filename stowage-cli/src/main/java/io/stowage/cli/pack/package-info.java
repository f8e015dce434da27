/** {@code stowage pack}: a model directory as a modelcar image in a registry. */
@NullMarked
package io.stowage.cli.pack;

import org.jspecify.annotations.NullMarked;
