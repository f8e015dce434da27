/**
 * {@code stowage quickstart}: the initializer's whole path on one machine, with an embedded S3
 * server and a generated model, no cluster needed.
 */
@NullMarked
package io.stowage.cli.quickstart;

import org.jspecify.annotations.NullMarked;
