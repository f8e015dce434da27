@NullMarked
package io.stowage.storage.archive;

import org.jspecify.annotations.NullMarked;
