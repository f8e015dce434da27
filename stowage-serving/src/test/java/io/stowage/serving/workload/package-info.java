/** Tests of the workload package. */
@NullMarked
package io.stowage.serving.workload;

import org.jspecify.annotations.NullMarked;
