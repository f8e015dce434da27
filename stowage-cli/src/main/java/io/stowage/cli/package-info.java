/** The {@code stowage} command line: the only {@code main()}, one picocli command per job. */
@NullMarked
package io.stowage.cli;

import org.jspecify.annotations.NullMarked;
