package dev.fanin.write;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.SourceResult;
import io.vertx.core.buffer.Buffer;

/**
 * Collects results into the whole-aggregate JSON document,
 * {"complete", "durationMs", "results": {id: result, ...}}, in definition order (the requests of a
 * source expanded over a list in the order they completed, at the source's place).
 */
public final class AggregateDocument implements WholeDocument {
  /** Per source, its members of "results" ("id":{...}, comma-separated when it was expanded). */
  private final Buffer[] encoded;
  private int bytes;

  public AggregateDocument(int sources) {
    this.encoded = new Buffer[sources];
  }

  @Override
  public void onResult(int index, SourceResult result) {
    Buffer b = ResultJson.sized(result);
    // ids are validated to [A-Za-z0-9_.-] (an expanded request's adds .N), so they need no escaping
    b.appendByte((byte) '"').appendString(result.id()).appendString("\":");
    ResultJson.append(b, result, null);
    if (encoded[index] == null) {
      encoded[index] = b;
    } else {
      encoded[index].appendByte((byte) ',').appendBuffer(b);
    }
    bytes += b.length() + 1;
  }

  @Override
  public String mediaType() {
    return "application/json";
  }

  /** The document; the collected results are released. */
  @Override
  public Buffer encode(AggregateSummary summary) {
    Buffer out = Buffer.buffer(bytes + encoded.length * 8 + 64)
        .appendString("{\"complete\":").appendString(Boolean.toString(summary.complete()))
        .appendString(",\"durationMs\":").appendString(Long.toString(summary.durationMs()))
        .appendString(",\"results\":{");
    boolean first = true;
    for (int i = 0; i < encoded.length; i++) {
      if (encoded[i] == null) {
        continue;
      }
      if (!first) {
        out.appendByte((byte) ',');
      }
      first = false;
      out.appendBuffer(encoded[i]);
      encoded[i] = null;
    }
    return out.appendByte((byte) '}').appendBuffer(ResultJson.items(summary)).appendByte((byte) '}');
  }
}
