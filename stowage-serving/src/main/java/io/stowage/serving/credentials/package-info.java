/** Storage credentials as init-container environment: Secret references, never Secret values. */
@NullMarked
package io.stowage.serving.credentials;

import org.jspecify.annotations.NullMarked;
