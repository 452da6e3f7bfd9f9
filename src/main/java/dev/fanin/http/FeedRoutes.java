package dev.fanin.http;

import dev.fanin.definition.FieldError;
import dev.fanin.definition.InvalidDefinitionException;
import dev.fanin.definition.StrictJson;
import dev.fanin.feeds.FeedAddresses;
import dev.fanin.feeds.FeedDefinitionParser;
import dev.fanin.feeds.FeedRuns;
import dev.fanin.write.StreamFormat;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * /v1/feeds: the registry over HTTP (it lives behind the fanin.feeds.* addresses), feed runs with
 * parameters, and the SSE stream of a scheduled feed's runs.
 */
final class FeedRoutes {
  private final FeedDefinitionParser parser;
  private final FeedRuns runs;
  private final AggregateRoute aggregate;
  private final FeedEvents events;

  FeedRoutes(FeedDefinitionParser parser, FeedRuns runs, AggregateRoute aggregate, FeedEvents events) {
    this.events = events;
    this.parser = parser;
    this.runs = runs;
    this.aggregate = aggregate;
  }

  void mount(Router router, BodyHandler body) {
    router.get("/v1/feeds").handler(this::list);
    router.put("/v1/feeds/:name").handler(AggregateRoute::checkContentType);
    router.put("/v1/feeds/:name").handler(body).handler(this::put);
    router.get("/v1/feeds/:name").handler(this::get);
    router.delete("/v1/feeds/:name").handler(this::delete);
    router.get("/v1/feeds/:name/aggregate").handler(this::runWithQuery);
    router.post("/v1/feeds/:name/aggregate").handler(FeedRoutes::checkRunMediaTypes);
    router.post("/v1/feeds/:name/aggregate").handler(body).handler(this::runWithBody);
    router.get("/v1/feeds/:name/events").handler(events::subscribe);
  }

  private void list(RoutingContext ctx) {
    runs.ask(FeedAddresses.LIST, new JsonObject())
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    runs.ask(FeedAddresses.GET, new JsonObject().put("name", name))
        .onSuccess(feed -> {
          ctx.response().putHeader("ETag", feed.getString("etag"));
          ctx.json(feed);
        })
        .onFailure(ctx::fail);
  }

  private void put(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Buffer body = ctx.body().buffer();
    JsonObject definition = StrictJson.parseObject(body == null ? Buffer.buffer() : body);
    JsonObject request = new JsonObject().put("name", name).put("definition", definition);
    String ifMatch = ctx.request().getHeader("If-Match");
    if (ifMatch != null) {
      request.put("ifMatch", ifMatch);
    }
    runs.ask(FeedAddresses.PUT, request, AccessControl.client(ctx)).onSuccess(reply -> {
      JsonObject feed = reply.getJsonObject("feed");
      HttpServerResponse response = ctx.response().putHeader("ETag", feed.getString("etag"));
      if (reply.getBoolean("created")) {
        response.setStatusCode(201).putHeader("Location", "/v1/feeds/" + name);
      }
      ctx.json(feed);
    }).onFailure(failure -> ctx.fail(withFieldErrors(failure, name, definition)));
  }

  /**
   * The registry validates a definition once, as it takes it. Its refusal carries only the message,
   * so a refused definition is parsed here again to give the client every field error with its
   * pointer.
   */
  private Throwable withFieldErrors(Throwable failure, String name, JsonObject definition) {
    if (failure instanceof ReplyException refused && refused.failureCode() == 400) {
      try {
        parser.parse(name, definition, false);
      } catch (InvalidDefinitionException invalid) {
        return invalid;
      }
    }
    return failure;
  }

  private void delete(RoutingContext ctx) {
    JsonObject request = new JsonObject().put("name", ctx.pathParam("name"));
    String ifMatch = ctx.request().getHeader("If-Match");
    if (ifMatch != null) {
      request.put("ifMatch", ifMatch);
    }
    runs.ask(FeedAddresses.DELETE, request, AccessControl.client(ctx))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void runWithQuery(RoutingContext ctx) {
    StreamFormat format = Negotiation.choose(ctx);
    run(ctx, queryParams(ctx.queryParams(), format), format);
  }

  /** Like {@link AggregateRoute#checkMediaTypes}, but the parameters' body may be left out. */
  private static void checkRunMediaTypes(RoutingContext ctx) {
    JsonBodies.checkDeclaredIfAny(ctx.request());
    ctx.put(AggregateRoute.FORMAT, Negotiation.choose(ctx));
    ctx.next();
  }

  private void runWithBody(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    JsonBodies.checkReadBody(ctx.request(), body);
    JsonObject params = body == null || body.length() == 0 ? new JsonObject() : StrictJson.parseObject(body);
    run(ctx, FeedRuns.params(params), ctx.get(AggregateRoute.FORMAT));
  }

  private void run(RoutingContext ctx, Map<String, String> params, StreamFormat format) {
    runs.resolve(ctx.pathParam("name"), params)
        .onSuccess(spec -> {
          try {
            aggregate.run(ctx.response(), ctx.request().method() == HttpMethod.HEAD, spec, format,
                Negotiation.bodies(ctx, format), RequestIds.of(ctx).withFeed(ctx.pathParam("name")));
          } catch (ProblemException refused) {
            ctx.fail(refused);
          }
        })
        .onFailure(ctx::fail);
  }

  /**
   * The parameters of a run: the query string, less the reserved stream (and bodies, for a HAR
   * answer); a name given twice → 400.
   */
  static Map<String, String> queryParams(MultiMap query, StreamFormat format) {
    Map<String, String> params = new HashMap<>();
    for (String name : query.names()) {
      if (name.equals("stream") || (format == StreamFormat.HAR && name.equals("bodies"))) {
        continue;
      }
      List<String> values = query.getAll(name);
      if (values.size() > 1) {
        throw new InvalidDefinitionException(List.of(new FieldError("/params/" + name, "is given more than once")));
      }
      params.put(name, values.get(0));
    }
    return params;
  }
}
