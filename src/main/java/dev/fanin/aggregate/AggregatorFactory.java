package dev.fanin.aggregate;

import io.vertx.core.Vertx;

/**
 * Builds the aggregator of one event loop, with its own upstream HTTP client. Call it from a
 * verticle's start, so that the client lives on the verticle's loop, and close the aggregator in
 * the verticle's stop.
 */
@FunctionalInterface
public interface AggregatorFactory {
  /**
   * @param lane whether this loop's client also sends for the other loops' large aggregations
   *     (see dev.fanin.fetch.Lanes), until the aggregator is closed
   */
  Aggregator create(Vertx vertx, boolean lane);
}
