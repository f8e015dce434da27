/**
 * The {@code inferenceservice-config} ConfigMap's sections, defaulting to what a fresh KServe
 * install ships.
 */
@NullMarked
package io.stowage.serving.config;

import org.jspecify.annotations.NullMarked;
