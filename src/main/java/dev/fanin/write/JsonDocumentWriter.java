package dev.fanin.write;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.ResultListener;
import dev.fanin.aggregate.SourceResult;
import dev.fanin.fetch.ByteBudget;
import dev.fanin.fetch.Exchanges;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Answers an HTTP request with a whole document (the aggregate, or the run as HAR) once every
 * source is done. The encoded document
 * counts against the aggregation's byte budget until it has been written, and is written with
 * backpressure ({@link Outbox}).
 */
public final class JsonDocumentWriter implements ResultListener {
  private final HttpServerResponse response;
  private final WholeDocument document;
  private final ServerTiming timing = new ServerTiming();
  private final Outbox outbox;
  private final boolean headOnly;
  private ByteBudget budget;

  /** @param headOnly the request was a HEAD: the answer is its status and headers alone */
  public JsonDocumentWriter(Vertx vertx, HttpServerResponse response, int sources, long stallMs, boolean headOnly) {
    this(vertx, response, new AggregateDocument(sources), stallMs, headOnly);
  }

  /** @param document what is answered: the aggregate ({@link AggregateDocument}) or a {@link HarDocument} */
  public JsonDocumentWriter(Vertx vertx, HttpServerResponse response, WholeDocument document, long stallMs,
      boolean headOnly) {
    this.headOnly = headOnly;
    this.response = response;
    this.document = document;
    this.outbox = new Outbox(vertx, response, stallMs);
  }

  @Override
  public Exchanges.Recording exchanges() {
    return document.exchanges();
  }

  @Override
  public void attach(ByteBudget budget) {
    this.budget = budget;
  }

  @Override
  public void onResult(int index, SourceResult result) {
    document.onResult(index, result);
    timing.add(result.id(), result.latencyMs());
  }

  /** Sends the document (with the status the HTTP intake set for this summary). */
  public Future<Void> finish(AggregateSummary summary) {
    if (response.closed()) {
      return outbox.end(Buffer.buffer());
    }
    Buffer body;
    try {
      body = document.encode(summary);
    } catch (RuntimeException e) {
      outbox.end(Buffer.buffer());
      throw e;
    }
    if (budget != null) {
      budget.force(body.length());
    }
    // a known length, written in slices as the client takes them
    response.putHeader("Content-Type", document.mediaType())
        .putHeader("Content-Length", Integer.toString(body.length()))
        .putHeader("Server-Timing", timing.header(summary.durationMs()));
    if (!headOnly) {
      outbox.send(body);
    }
    return outbox.end(Buffer.buffer());
  }

  @Override
  public Future<?> done() {
    return outbox.finished();
  }
}
