/**
 * {@code stowage pull} and the initializer's {@code oci://} source: an image's {@code /models} tree
 * materialized in a directory. Layers are fetched in parallel (ranged GETs inside large layers when
 * fewer layers than connections are left), every blob's digest is verified while it streams,
 * members are extracted in one pass without storing the blob (prefix stripped, whiteouts honoured,
 * unsafe members refused), and each finished layer is recorded in the destination's manifest so
 * that a restart resumes per layer.
 */
@NullMarked
package io.stowage.oci.pull;

import org.jspecify.annotations.NullMarked;
