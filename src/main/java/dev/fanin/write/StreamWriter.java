package dev.fanin.write;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.ResultListener;
import dev.fanin.aggregate.SourceResult;
import dev.fanin.fetch.ByteBudget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Streams each result the moment it completes, as NDJSON lines or SSE events, then a summary.
 * The status is 200 from the first byte; completeness is in the summary.
 *
 * <p>Backpressure: frames go through an {@link Outbox}, so while the client's connection takes no
 * more they wait here, counted against the aggregation's byte budget until written: a slow reader
 * holds at most its own budget, and one that takes nothing for http.writeStallMs is cut (the
 * connection is reset and its close cancels the aggregation).
 */
public final class StreamWriter implements ResultListener {
  private static final Buffer NEWLINE = Buffer.buffer("\n");
  private final HttpServerResponse response;
  private final StreamFormat format;
  private final Outbox outbox;
  private ByteBudget budget = new ByteBudget(Long.MAX_VALUE / 4);

  public StreamWriter(Vertx vertx, HttpServerResponse response, StreamFormat format, long stallMs) {
    this.response = response;
    this.format = format;
    this.outbox = new Outbox(vertx, response, stallMs);
  }

  @Override
  public void attach(ByteBudget budget) {
    this.budget = budget;
  }

  /** Sets the headers of the stream (its status is the intake's); nothing is sent yet. */
  public void prepare() {
    response.setChunked(true)
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
    long dataBytes = result.data() == null ? 0 : result.data().size();
    if (response.closed()) {
      budget.giveBack(dataBytes);
      return;
    }
    Buffer frame = frame("result", ResultJson.append(ResultJson.sized(result), result, "result"));
    // the encoded frame replaces the data until it has been written
    int frameBytes = frame.length();
    budget.force(frameBytes);
    budget.giveBack(dataBytes);
    outbox.send(frame).onComplete(ar -> budget.giveBack(frameBytes));
  }

  public Future<Void> finish(AggregateSummary summary) {
    return outbox.end(frame("summary", ResultJson.summary(summary)));
  }

  @Override
  public Future<?> done() {
    return outbox.finished();
  }

  private Buffer frame(String event, Buffer json) {
    if (format == StreamFormat.NDJSON) {
      return json.appendBuffer(NEWLINE);
    }
    return SseFrames.event(null, event, json);
  }
}
