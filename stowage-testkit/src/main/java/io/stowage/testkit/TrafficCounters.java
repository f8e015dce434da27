package io.stowage.testkit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What a {@link FaultProxy} has done so far; written by its connection threads. */
final class TrafficCounters {
  final AtomicInteger connectionsAccepted = new AtomicInteger();
  final AtomicLong bytesToClient = new AtomicLong();
  final AtomicInteger faultsInjected = new AtomicInteger();
}
