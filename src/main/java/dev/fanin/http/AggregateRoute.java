package dev.fanin.http;

import dev.fanin.aggregate.Aggregation;
import dev.fanin.aggregate.Aggregator;
import dev.fanin.aggregate.RunInfo;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.definition.DefinitionParser;
import dev.fanin.write.JsonDocumentWriter;
import dev.fanin.write.StreamFormat;
import dev.fanin.write.StreamWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** POST /v1/aggregate: checks the media types, reads the definition, aggregates, writes. */
final class AggregateRoute {
  static final String FORMAT = "fanin.format";
  private final Aggregator aggregator;
  private final DefinitionParser parser;

  AggregateRoute(Aggregator aggregator, DefinitionParser parser) {
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
    run(ctx.response(), false, spec, ctx.get(FORMAT), RequestIds.of(ctx));
  }

  /**
   * Runs the aggregation and writes it. For a HEAD of a stream (headOnly) the stream's head is the
   * whole answer: its status and headers never depend on the sources, and core would send the frames
   * written after the head even to a HEAD, so nothing is run. A HEAD of a JSON document runs, since
   * its status is the aggregate's; core drops the body of that single end().
   */
  void run(HttpServerResponse response, boolean headOnly, AggregationSpec spec, StreamFormat format, RunInfo info) {
    if (headOnly && format != StreamFormat.JSON) {
      new StreamWriter(response, format).prepare();
      response.end();
      return;
    }
    Aggregation aggregation;
    if (format == StreamFormat.JSON) {
      JsonDocumentWriter writer = new JsonDocumentWriter(response, spec.sources().size());
      aggregation = aggregator.start(spec, writer, info);
      aggregation.summary().compose(writer::finish);
    } else {
      StreamWriter writer = new StreamWriter(response, format);
      writer.prepare();
      aggregation = aggregator.start(spec, writer, info);
      writer.open();
      aggregation.summary().compose(writer::finish);
    }
    if (!response.ended()) {
      // an aggregation whose every source failed at once (open breakers) has answered already
      response.closeHandler(v -> aggregation.cancel("the client closed the connection"));
    }
  }
}
