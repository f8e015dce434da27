package io.stowage.controller.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Stowage's own meters, beside JOSDK's reconcile counters and timers: {@code
 * stowage_reconcile_outcomes_total{outcome}} (applied, unchanged, rejected, not_managed, failed,
 * error) and {@code stowage_plan_duration_seconds}.
 */
public final class ReconcileMetrics {
  private final MeterRegistry registry;
  private final Timer plan;
  private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();

  public ReconcileMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.plan =
        Timer.builder("stowage.plan.duration")
            .description("Time to plan one InferenceService")
            .register(registry);
  }

  public <T> T timePlan(Supplier<T> planning) {
    return plan.record(planning);
  }

  public void outcome(String outcome) {
    outcomes
        .computeIfAbsent(
            outcome,
            o ->
                Counter.builder("stowage.reconcile.outcomes")
                    .description("Reconciles by what they did")
                    .tag("outcome", o)
                    .register(registry))
        .increment();
  }
}
