/**
 * Local paths and {@code pvc://} claims, as KServe's older initializer treated them: the source's
 * entries are made visible in the destination through symbolic links, without copying bytes.
 */
@NullMarked
package io.stowage.storage.local;

import org.jspecify.annotations.NullMarked;
