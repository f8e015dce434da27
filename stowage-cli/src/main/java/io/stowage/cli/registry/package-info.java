/** Command-line options shared by the commands that talk to registries. */
@NullMarked
package io.stowage.cli.registry;

import org.jspecify.annotations.NullMarked;
