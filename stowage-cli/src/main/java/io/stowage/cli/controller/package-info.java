/** {@code stowage controller}: runs the Kubernetes controller. */
@NullMarked
package io.stowage.cli.controller;

import org.jspecify.annotations.NullMarked;
