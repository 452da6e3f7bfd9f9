package dev.fanin.feeds;

import dev.fanin.definition.AggregationSpec;
import dev.fanin.definition.InvalidDefinitionException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Turns "run feed X with these params" into an {@link AggregationSpec}, asking the registry over
 * the event bus for the feed. Used by the HTTP and event-bus intakes alike.
 */
public final class FeedRuns {
  private final EventBus bus;
  private final FeedDefinitionParser parser;

  public FeedRuns(EventBus bus, FeedDefinitionParser parser) {
    this.bus = bus;
    this.parser = parser;
  }

  /** Fails with a ReplyException (404) for an unknown feed or InvalidDefinitionException for bad params. */
  public Future<AggregationSpec> resolve(String name, Map<String, String> params) {
    return ask(FeedAddresses.GET, new JsonObject().put("name", name)).map(feedJson -> {
      Feed feed = parser.parse(name, feedJson.getJsonObject("definition"), feedJson.getBoolean("readOnly", false));
      return parser.resolve(feed, params);
    });
  }

  /**
   * A request to the registry; its failures are ReplyExceptions carrying the HTTP status. It goes to
   * this process's own registry: in a cluster every node's registry reads and writes the same shared
   * map, so crossing to another node would only add a hop, and a hop to a node that just died would
   * wait for the send timeout.
   */
  public Future<JsonObject> ask(String address, JsonObject body) {
    return bus.<JsonObject>request(address, body, LOCAL).map(Message::body);
  }

  private static final io.vertx.core.eventbus.DeliveryOptions LOCAL =
      new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true).setSendTimeout(10_000);

  /** Reads a JSON object of parameter values: strings, numbers and booleans are accepted. */
  public static Map<String, String> params(Object value) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject json)) {
      throw new InvalidDefinitionException(java.util.List.of(
          new dev.fanin.definition.FieldError("/params", "must be an object of parameter values")));
    }
    Map<String, String> out = new java.util.HashMap<>();
    java.util.List<dev.fanin.definition.FieldError> errors = new java.util.ArrayList<>();
    for (Map.Entry<String, Object> e : json) {
      Object v = e.getValue();
      if (v instanceof String || v instanceof Number || v instanceof Boolean) {
        out.put(e.getKey(), v.toString());
      } else {
        errors.add(new dev.fanin.definition.FieldError("/params/" + e.getKey(), "must be a string, number or boolean"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidDefinitionException(errors);
    }
    return out;
  }
}
