/**
 * Standard-mode objects: the Deployment, Service and HorizontalPodAutoscaler, their names, labels
 * and URLs.
 */
@NullMarked
package io.stowage.serving.workload;

import org.jspecify.annotations.NullMarked;
