package dev.fanin.aggregate;

import dev.fanin.metrics.FaninMetrics;

/**
 * What every kind of run counts of each result it delivers: the slowest source (for the run's log
 * line) and the per-outcome, cache and retry metrics. Confined to the run's event loop.
 */
final class SourceStats {
  private final FaninMetrics metrics;
  private String slowestId;
  private long slowestMs = -1;

  SourceStats(FaninMetrics metrics) {
    this.metrics = metrics;
  }

  void count(SourceResult result) {
    long took = result.startMs() + result.latencyMs();
    if (took > slowestMs) {
      slowestMs = took;
      slowestId = result.id();
    }
    metrics.source(result.ok() ? "ok" : result.errorKind().wireName());
    metrics.cache(result.cache());
    metrics.retries(Math.max(0, result.attempts() - 1));
  }

  /** The slowest source so far, as "id:ms", or null before any result. */
  String slowest() {
    return slowestId == null ? null : slowestId + ":" + slowestMs;
  }
}
