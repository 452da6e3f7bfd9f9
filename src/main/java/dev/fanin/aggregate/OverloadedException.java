package dev.fanin.aggregate;

/** An aggregation refused because the process already runs its maximum (aggregate.maxInFlight). */
public final class OverloadedException extends RuntimeException {
  public OverloadedException(int max) {
    super("fanin is running its maximum of " + max + " aggregations; retry shortly", null, false, false);
  }
}
