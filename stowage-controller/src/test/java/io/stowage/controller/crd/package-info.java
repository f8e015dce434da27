/** Tests of the generated CRDs and their checked-in copies. */
@NullMarked
package io.stowage.controller.crd;

import org.jspecify.annotations.NullMarked;
