/** Controller tests on fabric8's mock API server in CRUD mode, with the generated CRDs. */
@NullMarked
package io.stowage.controller;

import org.jspecify.annotations.NullMarked;
