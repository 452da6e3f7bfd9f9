package dev.fanin.testing;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.SourceData;
import dev.fanin.aggregate.SourceResult;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.Timings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.util.List;

/** Source results and summaries as the aggregator hands them to writers, for the writers' unit tests. */
public final class Results {
  /** 2023-11-14T22:13:20Z: every result here was known then. */
  public static final long FETCHED_AT = 1_700_000_000_000L;

  private Results() {}

  /** An ok result whose upstream body is this JSON text (kept as bytes, as it arrived). */
  public static SourceResult ok(String id, String json) {
    return result(id, 200, new SourceData.Json(Buffer.buffer(json)), null, null, List.of());
  }

  public static SourceResult failed(String id, ErrorKind kind, String message) {
    return result(id, 0, null, kind, message, List.of());
  }

  public static SourceResult result(String id, int httpStatus, SourceData data, ErrorKind kind, String message,
      List<String> notes) {
    return new SourceResult(id, false, httpStatus, 12, 3, 1, data, kind, message, FETCHED_AT, notes, null, "miss", 0, Timings.none());
  }

  public static AggregateSummary summary(int ok, int failed, JsonArray items) {
    return new AggregateSummary(failed == 0, 42, ok, failed, failed == 0, false, items);
  }
}
