package dev.fanin.aggregate;

/**
 * An aggregation refused because the process is at a bound: its maximum of aggregations in flight
 * (aggregate.maxInFlight), or its memory for answers in flight (aggregate.maxProcessBytes).
 */
public final class OverloadedException extends RuntimeException {
  public OverloadedException(int max) {
    this("fanin is running its maximum of " + max + " aggregations; retry shortly");
  }

  public OverloadedException(String message) {
    super(message, null, false, false);
  }
}
