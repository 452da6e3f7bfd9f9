package dev.fanin.write;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.ResultListener;
import dev.fanin.aggregate.SourceResult;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

/** Answers an HTTP request with the whole aggregate once every source is done. */
public final class JsonDocumentWriter implements ResultListener {
  private final HttpServerResponse response;
  private final AggregateDocument document;
  private final StringBuilder timing = new StringBuilder();

  public JsonDocumentWriter(HttpServerResponse response, int sources) {
    this.response = response;
    this.document = new AggregateDocument(sources);
  }

  @Override
  public void onResult(int index, SourceResult result) {
    document.onResult(index, result);
    // Server-Timing (W3C): one entry per source; ids are tokens, so they need no quoting
    timing.append(result.id()).append(";dur=").append(result.latencyMs()).append(", ");
  }

  /** Sends the document with 200, 502 or 504 as the summary says. */
  public Future<Void> finish(AggregateSummary summary) {
    if (response.closed()) {
      return Future.succeededFuture();
    }
    return response.setStatusCode(summary.httpStatus())
        .putHeader("Content-Type", "application/json")
        .putHeader("Server-Timing", timing.append("total;dur=").append(summary.durationMs()).toString())
        .end(document.encode(summary));
  }
}
