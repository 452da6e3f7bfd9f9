package dev.fanin.write;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.ResultListener;
import dev.fanin.aggregate.SourceResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes the whole aggregate as one JSON document once every source is done:
 * {"complete", "durationMs", "results": {id: result, ...}} in definition order.
 */
public final class JsonDocumentWriter implements ResultListener {
  private final HttpServerResponse response;
  private final Buffer[] encoded;
  private final String[] ids;
  private int bytes;

  public JsonDocumentWriter(HttpServerResponse response, int sources) {
    this.response = response;
    this.encoded = new Buffer[sources];
    this.ids = new String[sources];
  }

  @Override
  public void onResult(int index, SourceResult result) {
    Buffer b = ResultJson.append(Buffer.buffer(), result, null);
    encoded[index] = b;
    ids[index] = result.id();
    bytes += b.length();
  }

  /** Sends the document with 200, 502 or 504 as the summary says. */
  public Future<Void> finish(AggregateSummary summary) {
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
    out.appendString("}}");
    if (response.closed()) {
      return Future.succeededFuture();
    }
    return response.setStatusCode(summary.httpStatus())
        .putHeader("Content-Type", "application/json")
        .end(out);
  }
}
