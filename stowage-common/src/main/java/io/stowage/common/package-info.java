/** Rules shared by every module, with no dependencies of their own. */
@NullMarked
package io.stowage.common;

import org.jspecify.annotations.NullMarked;
