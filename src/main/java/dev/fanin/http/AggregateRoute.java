package dev.fanin.http;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.Aggregation;
import dev.fanin.aggregate.Aggregator;
import dev.fanin.aggregate.RunInfo;
import dev.fanin.fetch.ClientBudgets;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.definition.DefinitionParser;
import dev.fanin.definition.SourceSpec;
import dev.fanin.write.AggregateDocument;
import dev.fanin.write.HarDocument;
import dev.fanin.write.JsonDocumentWriter;
import dev.fanin.write.WholeDocument;
import java.util.List;
import java.util.function.Supplier;
import dev.fanin.write.StreamFormat;
import dev.fanin.write.StreamWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.Vertx;
import java.util.function.IntSupplier;

/** POST /v1/aggregate: checks the media types, reads the definition, aggregates, writes. */
final class AggregateRoute {
  private static final Logger LOG = LoggerFactory.getLogger(AggregateRoute.class);
  static final String FORMAT = "fanin.format";
  private final Aggregator aggregator;
  private final DefinitionParser parser;
  private final Vertx vertx;
  private final IntSupplier writeStallMs;
  private final ClientBudgets budgets;
  private final Supplier<List<String>> credentialHeaders;

  /** @param credentialHeaders cache.credentialHeaders: redacted in HAR answers, like Authorization */
  AggregateRoute(Vertx vertx, Aggregator aggregator, DefinitionParser parser,
      IntSupplier writeStallMs, ClientBudgets budgets, Supplier<List<String>> credentialHeaders) {
    this.credentialHeaders = credentialHeaders;
    this.vertx = vertx;
    this.budgets = budgets;
    this.writeStallMs = writeStallMs;
    this.aggregator = aggregator;
    this.parser = parser;
  }

  void mount(Router router, BodyHandler body) {
    // two routes, because Vert.x runs a body handler before any user handler of the same route
    router.post("/v1/aggregate").handler(AggregateRoute::checkMediaTypes);
    router.post("/v1/aggregate").handler(body).handler(this::aggregate);
  }

  /** Refuses a wrong Content-Type (415) or Accept (406) before reading the body. */
  static void checkMediaTypes(RoutingContext ctx) {
    JsonBodies.checkDeclared(ctx.request());
    ctx.put(FORMAT, Negotiation.choose(ctx));
    ctx.next();
  }

  /** Refuses a wrong Content-Type (415) before reading the body. */
  static void checkContentType(RoutingContext ctx) {
    JsonBodies.checkDeclared(ctx.request());
    ctx.next();
  }

  private void aggregate(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    AggregationSpec spec = parser.parse(body == null ? Buffer.buffer() : body);
    run(ctx.response(), false, spec, ctx.get(FORMAT), Negotiation.bodies(ctx, ctx.get(FORMAT)), RequestIds.of(ctx));
  }

  /**
   * Runs the aggregation and writes it. For a HEAD of a stream (headOnly) the stream's head is the
   * whole answer: its status and headers never depend on the sources, and core would send the frames
   * written after the head even to a HEAD, so nothing is run. A HEAD of a JSON document runs, since
   * its status is the aggregate's; core drops the body of that single end().
   *
   * @param bodies a HAR answer carries the bodies too (?bodies=true)
   */
  void run(HttpServerResponse response, boolean headOnly, AggregationSpec spec, StreamFormat format, boolean bodies,
      RunInfo info) {
    BudgetFit.check(budgets, spec, info);
    if (headOnly && !format.whole()) {
      response.setStatusCode(200);
      new StreamWriter(vertx, response, format, writeStallMs.getAsInt()).prepare();
      response.end();
      return;
    }
    Aggregation aggregation;
    if (format.whole()) {
      // a HAR answer is the run's exchanges, under the same status and memory bounds as the aggregate
      WholeDocument document = format == StreamFormat.HAR
          ? new HarDocument(info.feed() != null ? info.feed() : info.requestId(), info.requestId(),
              System.currentTimeMillis(), spec.sources().stream().map(SourceSpec::secretHeaders).toList(),
              credentialHeaders.get(), bodies)
          : new AggregateDocument(spec.sources().size());
      JsonDocumentWriter writer = new JsonDocumentWriter(vertx, response, document, writeStallMs.getAsInt(), headOnly);
      aggregation = aggregator.start(spec, writer, info);
      aggregation.summary().compose(summary -> {
        response.setStatusCode(statusOf(summary));
        return writer.finish(summary);
      })
          .onFailure(t -> unanswered(response, info, t));
    } else {
      StreamWriter writer = new StreamWriter(vertx, response, format, writeStallMs.getAsInt());
      // a stream answers 200 from its first byte; how the aggregation went is in its summary
      response.setStatusCode(200);
      writer.prepare();
      aggregation = aggregator.start(spec, writer, info);
      writer.open();
      aggregation.summary().compose(writer::finish).onFailure(t -> unanswered(response, info, t));
    }
    if (!response.ended()) {
      // an aggregation whose every source failed at once (open breakers) has answered already
      response.closeHandler(v -> aggregation.cancel("the client closed the connection"));
    }
  }

  /**
   * Starts a run whose answer is built from its summary alone (the merged items): its results are
   * not kept. Refuses as {@link #run} does (the client's upstream budget, overload).
   */
  Aggregation startForSummary(AggregationSpec spec, RunInfo info) {
    BudgetFit.check(budgets, spec, info);
    return aggregator.start(spec, (index, result) -> { }, info);
  }

  /** A whole-document answer's status: 200, else 504 when only timeouts failed it, else 502. */
  static int statusOf(AggregateSummary summary) {
    if (summary.requiredOk()) {
      return 200;
    }
    return summary.onlyTimeouts() ? 504 : 502;
  }

  /**
   * The aggregate could not be written: a 500 problem when nothing was sent yet, otherwise the
   * stream is cut (a reset), so the client never waits for an end that will not come.
   */
  static void unanswered(HttpServerResponse response, RunInfo info, Throwable failure) {
    if (response.closed()) {
      return; // the client left while the answer was written: nothing to tell it
    }
    LOG.error("the answer to request {} could not be completed", info.requestId(), failure);
    if (response.headWritten()) {
      response.reset();
      return;
    }
    Problem problem = Problem.of(500, "internal", "Internal error",
        "fanin failed to complete the answer; the failure was logged.");
    response.setStatusCode(500).setChunked(false).putHeader("Content-Type", Problems.MEDIA_TYPE)
        .end(problem.toJson().toBuffer());
  }
}
