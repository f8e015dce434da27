/**
 * The model tools for people and CI jobs: {@code push}, {@code pull}, {@code ls} and {@code
 * verify}. They take the initializer's settings from the environment, with flags on top, and fail
 * with one line and the initializer's exit codes.
 */
@NullMarked
package io.stowage.cli.tools;

import org.jspecify.annotations.NullMarked;
