package dev.fanin.aggregate;

import io.vertx.core.json.JsonArray;

/**
 * How an aggregation ended.
 *
 * @param complete every source is ok
 * @param requiredOk every non-optional source is ok
 * @param onlyTimeouts every failed non-optional source failed by timing out
 * @param items the merged timeline when the definition asks for one, else null
 */
public record AggregateSummary(
    boolean complete, long durationMs, int ok, int failed, boolean requiredOk, boolean onlyTimeouts,
    JsonArray items) {}
