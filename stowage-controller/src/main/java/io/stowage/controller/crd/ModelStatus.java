package io.stowage.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code status.modelStatus}: where the model is on its way into the pod, and why it failed last.
 * Values are KServe's: transition {@code UpToDate}, {@code InProgress}, {@code
 * BlockedByFailedLoad}, {@code InvalidSpec}; states {@code Pending}, {@code Standby}, {@code
 * Loading}, {@code Loaded}, {@code FailedToLoad}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"transitionStatus", "states", "lastFailureInfo", "copies", "deployed"})
public record ModelStatus(
    @Nullable String transitionStatus,
    @Nullable States states,
    @Nullable FailureInfo lastFailureInfo,
    @Nullable Copies copies,
    @Nullable List<Deployed> deployed) {

  /** {@code states}: the model the pods serve now, and the one they are moving to. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record States(@Nullable String activeModelState, @Nullable String targetModelState) {}

  /**
   * {@code lastFailureInfo}: {@code reason} is {@code ModelLoadFailed} with the storage
   * initializer's termination message and exit code, or a runtime resolution reason.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"location", "reason", "message", "modelRevisionName", "time", "exitCode"})
  public record FailureInfo(
      @Nullable String location,
      @Nullable String reason,
      @Nullable String message,
      @Nullable String modelRevisionName,
      @Nullable String time,
      @Nullable Integer exitCode) {}

  /**
   * {@code deployed}, a Stowage field (KServe has none): one entry per source the newest successful
   * storage-initializer put in place, from its termination message: the source redacted, and for a
   * fetched source its file count, bytes and manifest digest (SHA-256 over path, size, version and
   * content digest of every file; equal on every replica that got the same files). {@code kubectl
   * get isvc NAME -o jsonpath='{.status.modelStatus.deployed}'}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"source", "files", "bytes", "manifestDigest"})
  public record Deployed(
      @Nullable String source,
      @Nullable Integer files,
      @Nullable Long bytes,
      @Nullable String manifestDigest) {}

  /** {@code copies}: ready pods, and pods whose model failed to load. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Copies(@Nullable Integer failedCopies, @Nullable Integer totalCopies) {}
}
