/**
 * KServe's custom resources as fabric8 types: the source of the generated CRDs and the controller's
 * view of the API.
 */
@NullMarked
package io.stowage.controller.crd;

import org.jspecify.annotations.NullMarked;
