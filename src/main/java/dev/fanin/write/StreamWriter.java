package dev.fanin.write;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.ResultListener;
import dev.fanin.aggregate.SourceResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Streams each result the moment it completes, as NDJSON lines or SSE events, then a summary.
 * The status is 200 from the first byte; completeness is in the summary.
 */
public final class StreamWriter implements ResultListener {
  private static final Buffer NEWLINE = Buffer.buffer("\n");
  private final HttpServerResponse response;
  private final StreamFormat format;
  private Future<Void> lastWrite = Future.succeededFuture();

  public StreamWriter(HttpServerResponse response, StreamFormat format) {
    this.response = response;
    this.format = format;
  }

  /** Sets the status and headers of the stream; nothing is sent yet. */
  public void prepare() {
    response.setStatusCode(200)
        .setChunked(true)
        .putHeader("Content-Type", format == StreamFormat.SSE
            ? "text/event-stream; charset=utf-8" : format.mediaType())
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
  }

  /** Sends the head now (once the aggregation was accepted), so the client sees the stream open. */
  public void open() {
    if (!response.headWritten() && !response.closed()) {
      response.writeHead();
    }
  }

  @Override
  public void onResult(int index, SourceResult result) {
    if (response.closed()) {
      return;
    }
    lastWrite = response.write(frame("result", ResultJson.append(ResultJson.sized(result), result, "result")));
  }

  @Override
  public boolean retainsResults() {
    return false;
  }

  @Override
  public Future<?> lastWrite() {
    return lastWrite;
  }

  public Future<Void> finish(AggregateSummary summary) {
    if (response.closed()) {
      return Future.succeededFuture();
    }
    return response.end(frame("summary", ResultJson.summary(summary)));
  }

  private Buffer frame(String event, Buffer json) {
    if (format == StreamFormat.NDJSON) {
      return json.appendBuffer(NEWLINE);
    }
    return SseFrames.event(null, event, json);
  }
}
