package dev.fanin.feeds;

import dev.fanin.definition.InvalidDefinitionException;
import dev.fanin.feeds.FeedException.Reason;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's event-bus API, the fanin.feeds.* addresses (docs/api.md): JSON objects in and
 * out, definitions validated here into {@link Feed}s, and the one place that turns a refusal into
 * a failure code — the HTTP status the same request would get, as the API promises its users.
 * A put or delete acts for the client its headers name ({@link FeedClient#from}); the HTTP intake
 * always names one. A request that names none comes from inside the process or the cluster, which
 * is trusted: it may change any API feed, and what it creates belongs to nobody.
 */
final class FeedBusApi {
  /** The failure code of a request the registry cannot take as it is (an invalid name or definition). */
  static final int INVALID = 400;
  private static final Logger LOG = LoggerFactory.getLogger(FeedBusApi.class);
  private final EventBus bus;
  private final FeedCatalog catalog;
  private final FeedDefinitionParser parser;
  private final FeedRunHub hub;
  private final String node;

  FeedBusApi(EventBus bus, FeedCatalog catalog, FeedDefinitionParser parser, FeedRunHub hub, String node) {
    this.bus = bus;
    this.catalog = catalog;
    this.parser = parser;
    this.hub = hub;
    this.node = node;
  }

  static int failureCode(Reason reason) {
    return switch (reason) {
      case INVALID -> INVALID;
      case NOT_FOUND -> 404;
      case READ_ONLY, FULL, BUSY -> 409;
      case NOT_CURRENT -> 412;
      case FORBIDDEN -> 403;
      case OVER_BUDGET -> 429;
    };
  }

  Future<Void> listen() {
    List<MessageConsumer<JsonObject>> consumers = List.of(
        bus.consumer(FeedAddresses.PUT, m -> handle(m, body -> put(body, FeedClient.from(m.headers())))),
        bus.consumer(FeedAddresses.GET, m -> handle(m, this::get)),
        bus.consumer(FeedAddresses.LIST, m -> handle(m, this::list)),
        bus.consumer(FeedAddresses.DELETE, m -> handle(m, body -> delete(body, FeedClient.from(m.headers())))),
        bus.consumer(FeedAddresses.LATEST, m -> handle(m, this::latest)),
        bus.consumer(FeedAddresses.RUNS, m -> handle(m, this::runsAfter)));
    List<Future<Void>> ready = new ArrayList<>();
    consumers.forEach(c -> ready.add(c.completion()));
    return Future.all(ready).mapEmpty();
  }

  private void handle(Message<JsonObject> message, Function<JsonObject, Future<JsonObject>> op) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    Future<JsonObject> result;
    try {
      result = op.apply(body);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result(), new DeliveryOptions().addHeader(FeedAddresses.NODE_HEADER, node));
      } else if (ar.cause() instanceof FeedException fe) {
        message.fail(failureCode(fe.reason()), fe.getMessage());
      } else if (ar.cause() instanceof InvalidDefinitionException ide) {
        message.fail(INVALID, ide.getMessage());
      } else {
        LOG.error("feed registry failure", ar.cause());
        message.fail(500, "the feed registry failed: " + ar.cause().getMessage());
      }
    });
  }

  private static String name(JsonObject body) {
    Object name = body.getValue("name");
    if (!(name instanceof String s) || !FeedDefinitionParser.NAME.matcher(s).matches()) {
      throw new FeedException(Reason.INVALID, FeedDefinitionParser.NAME_RULE);
    }
    return s;
  }

  private static String ifMatch(JsonObject body) {
    Object ifMatch = body.getValue("ifMatch");
    if (ifMatch != null && !(ifMatch instanceof String)) {
      throw new FeedException(Reason.INVALID, "ifMatch must be a string of entity tags, or \"*\"");
    }
    return (String) ifMatch;
  }

  private Future<JsonObject> get(JsonObject body) {
    return catalog.current(name(body)).map(Feed::toJson);
  }

  private Future<JsonObject> list(JsonObject body) {
    return catalog.list().map(feeds -> {
      JsonArray list = new JsonArray();
      feeds.forEach(feed -> list.add(feed.summaryJson()));
      return new JsonObject().put("feeds", list);
    });
  }

  /** A put for the client the request names in its headers; one that names none is trusted. */
  private Future<JsonObject> put(JsonObject body, FeedClient caller) {
    String name = name(body);
    if (!(body.getValue("definition") instanceof JsonObject definition)) {
      throw new FeedException(Reason.INVALID, "definition must be a JSON object");
    }
    String ifMatch = ifMatch(body);
    Feed feed = parser.parse(name, definition, false);
    return catalog.put(feed, ifMatch, caller)
        .map(created -> new JsonObject().put("created", created).put("feed", feed.toJson()));
  }

  private Future<JsonObject> delete(JsonObject body, FeedClient caller) {
    String name = name(body);
    String ifMatch = ifMatch(body);
    return catalog.delete(name, ifMatch, caller).map(v -> new JsonObject().put("deleted", name));
  }

  /** The latest run of a scheduled feed, as this node's process last saw it. */
  private Future<JsonObject> latest(JsonObject body) {
    String name = name(body);
    return catalog.current(name).map(feed -> {
      JsonObject run = hub.latest(name);
      if (run == null) {
        throw new FeedException(Reason.NOT_FOUND, "feed " + name + " has no completed scheduled run yet");
      }
      return run;
    });
  }

  /** {"name", "after"} → {"runs": [...]}: the runs after that id, or the latest when it is unknown. */
  private Future<JsonObject> runsAfter(JsonObject body) {
    String name = name(body);
    return catalog.current(name).map(feed -> {
      JsonArray runs = new JsonArray();
      hub.after(name, body.getString("after")).forEach(run -> runs.add(new JsonObject(run.json())));
      return new JsonObject().put("runs", runs);
    });
  }
}
