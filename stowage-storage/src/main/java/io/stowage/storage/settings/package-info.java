/** Every environment variable the initializer reads, parsed in one place into typed settings. */
@NullMarked
package io.stowage.storage.settings;

import org.jspecify.annotations.NullMarked;
