package dev.fanin.feeds;

import dev.fanin.definition.AggregationSpec;
import dev.fanin.definition.FieldError;
import dev.fanin.definition.InvalidDefinitionException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns "run feed X with these params" into an {@link AggregationSpec}, asking the registry over
 * the event bus for the feed. Used by the HTTP and event-bus intakes alike; each keeps the feeds it
 * ran lately parsed, by version (etag), so that a run does not validate its feed again.
 */
public final class FeedRuns {
  /** Requests go to this process's own registry, see {@link #ask}. */
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(10_000);
  /** The most feeds kept parsed; the least recently run is parsed again when it comes back. */
  static final int MAX_PARSED = 256;
  private final EventBus bus;
  private final FeedDefinitionParser parser;
  private final Map<String, Feed> parsed = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Feed> eldest) {
      return size() > MAX_PARSED;
    }
  };

  public FeedRuns(EventBus bus, FeedDefinitionParser parser) {
    this.bus = bus;
    this.parser = parser;
  }

  /** Fails with a ReplyException (404) for an unknown feed or InvalidDefinitionException for bad params. */
  public Future<AggregationSpec> resolve(String name, Map<String, String> params) {
    return ask(FeedAddresses.GET, new JsonObject().put("name", name))
        .map(feedJson -> parser.resolve(feed(name, feedJson), params));
  }

  /**
   * A feed resolved with parameter values.
   *
   * @param given the values the caller gave
   */
  public record Resolved(Feed feed, Map<String, String> given, AggregationSpec spec) {
    /** Whether the feed's scheduled runs answer it: it has a schedule, and every value given is the default. */
    public boolean scheduledRun() {
      return feed.schedule() != null && given.entrySet().stream()
          .allMatch(e -> feed.params().containsKey(e.getKey())
              && e.getValue().equals(feed.params().get(e.getKey()).defaultValue()));
    }

    /** The values given that differ from the defaults, by name: what tells this run from the default one. */
    public Map<String, String> nonDefault() {
      Map<String, String> out = new TreeMap<>();
      given.forEach((name, value) -> {
        ParamSpec param = feed.params().get(name);
        if (param == null || !value.equals(param.defaultValue())) {
          out.put(name, value);
        }
      });
      return out;
    }
  }

  /** As {@link #resolve}, keeping the feed and the values given. */
  public Future<Resolved> resolveFeed(String name, Map<String, String> params) {
    return ask(FeedAddresses.GET, new JsonObject().put("name", name)).map(feedJson -> {
      Feed feed = feed(name, feedJson);
      return new Resolved(feed, Map.copyOf(params), parser.resolve(feed, params));
    });
  }

  /** The feed the registry answered with, parsed once per version. */
  private synchronized Feed feed(String name, JsonObject feedJson) {
    boolean readOnly = feedJson.getBoolean("readOnly", false);
    Feed known = parsed.get(name);
    if (known != null && known.readOnly() == readOnly && known.etag().equals(feedJson.getString("etag"))) {
      return known;
    }
    Feed feed = parser.parse(name, feedJson.getJsonObject("definition"), readOnly);
    parsed.put(name, feed);
    return feed;
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

  /** A change asked of the registry for a client, which the registry holds to that client's rights. */
  public Future<JsonObject> ask(String address, JsonObject body, FeedClient client) {
    return bus.<JsonObject>request(address, body, client.addTo(new DeliveryOptions(LOCAL))).map(Message::body);
  }

  /** Reads a JSON object of parameter values: strings, numbers and booleans are accepted. */
  public static Map<String, String> params(Object value) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject json)) {
      throw new InvalidDefinitionException(List.of(new FieldError("/params", "must be an object of parameter values")));
    }
    Map<String, String> out = new HashMap<>();
    List<FieldError> errors = new ArrayList<>();
    for (Map.Entry<String, Object> e : json) {
      Object v = e.getValue();
      if (v instanceof String || v instanceof Number || v instanceof Boolean) {
        out.put(e.getKey(), v.toString());
      } else {
        errors.add(new FieldError("/params/" + e.getKey(), "must be a string, number or boolean"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidDefinitionException(errors);
    }
    return out;
  }
}
