package dev.fanin.batch;

/**
 * What a run's output holds: results ok and failed, and the sum of their latencies (a checkpoint's
 * included). Counted as each line is accepted for writing.
 */
final class Tally {
  private volatile long ok;
  private volatile long failed;
  private volatile long sumLatencyMs;
  private volatile boolean requiredFailed;

  Tally(long ok, long failed, long sumLatencyMs) {
    this.ok = ok;
    this.failed = failed;
    this.sumLatencyMs = sumLatencyMs;
  }

  /** Called with the writer's lock held: one thread at a time. */
  void count(boolean isOk, long latencyMs) {
    if (isOk) {
      ok++;
    } else {
      failed++;
    }
    sumLatencyMs += latencyMs;
  }

  /** A required source failed (a definition's optional sources may fail without it). */
  void requiredFailed() {
    requiredFailed = true;
  }

  long ok() {
    return ok;
  }

  long failed() {
    return failed;
  }

  long sumLatencyMs() {
    return sumLatencyMs;
  }

  boolean anyRequiredFailed() {
    return requiredFailed;
  }
}
