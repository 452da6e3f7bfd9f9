package dev.fanin.batch;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.write.ResultJson;
import io.vertx.core.buffer.Buffer;

/**
 * The last line of a run's output: the HTTP stream's summary fields first (complete, durationMs,
 * ok, failed, and items when a definition merges), then what only a batch has: duplicates skipped,
 * results kept from the checkpoint, sources never started, the sum of latencies, and whether the
 * run was interrupted. ok and failed count every result line of the output (a checkpoint's too).
 */
record SummaryLine(boolean complete, long durationMs, long ok, long failed, long duplicates, long resumed,
    long notStarted, long sumLatencyMs, boolean interrupted, AggregateSummary merged) {

  Buffer encode() {
    Buffer b = Buffer.buffer(256)
        .appendString("{\"type\":\"summary\",\"complete\":").appendString(Boolean.toString(complete))
        .appendString(",\"durationMs\":").appendString(Long.toString(durationMs))
        .appendString(",\"ok\":").appendString(Long.toString(ok))
        .appendString(",\"failed\":").appendString(Long.toString(failed));
    if (merged != null) {
      b.appendBuffer(ResultJson.items(merged));
    }
    b.appendString(",\"duplicates\":").appendString(Long.toString(duplicates))
        .appendString(",\"resumed\":").appendString(Long.toString(resumed))
        .appendString(",\"notStarted\":").appendString(Long.toString(notStarted))
        .appendString(",\"sumLatencyMs\":").appendString(Long.toString(sumLatencyMs));
    if (interrupted) {
      b.appendString(",\"interrupted\":true");
    }
    return b.appendString("}\n");
  }
}
