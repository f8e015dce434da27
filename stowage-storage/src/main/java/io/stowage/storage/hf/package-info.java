/**
 * Hugging Face Hub repositories ({@code hf://owner/model[:revision]}) through the Hub's HTTP API:
 * the revision pinned to a commit, every file verified against its LFS SHA-256 or git blob id.
 */
@NullMarked
package io.stowage.storage.hf;

import org.jspecify.annotations.NullMarked;
