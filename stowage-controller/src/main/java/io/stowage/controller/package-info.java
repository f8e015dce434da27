/** The controller: reconciles InferenceServices through the serving planner (Kubernetes I/O). */
@NullMarked
package io.stowage.controller;

import org.jspecify.annotations.NullMarked;
