package dev.fanin.write;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.SourceResult;
import io.vertx.core.buffer.Buffer;

/**
 * Collects results into the whole-aggregate JSON document,
 * {"complete", "durationMs", "results": {id: result, ...}}, in definition order.
 */
public final class AggregateDocument implements WholeDocument {
  private final Buffer[] encoded;
  private final String[] ids;
  private int bytes;

  public AggregateDocument(int sources) {
    this.encoded = new Buffer[sources];
    this.ids = new String[sources];
  }

  @Override
  public void onResult(int index, SourceResult result) {
    Buffer b = ResultJson.append(ResultJson.sized(result), result, null);
    encoded[index] = b;
    ids[index] = result.id();
    bytes += b.length();
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
    for (int i = 0; i < encoded.length; i++) {
      if (i > 0) {
        out.appendByte((byte) ',');
      }
      // ids are validated to [A-Za-z0-9_.-], so they need no escaping
      out.appendByte((byte) '"').appendString(ids[i]).appendString("\":").appendBuffer(encoded[i]);
      encoded[i] = null;
    }
    return out.appendByte((byte) '}').appendBuffer(ResultJson.items(summary)).appendByte((byte) '}');
  }
}
