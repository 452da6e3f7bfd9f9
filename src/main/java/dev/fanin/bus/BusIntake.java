package dev.fanin.bus;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.Aggregation;
import dev.fanin.aggregate.Aggregator;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.definition.DefinitionParser;
import dev.fanin.definition.InvalidDefinitionException;
import dev.fanin.feeds.FeedRuns;
import dev.fanin.write.AggregateDocument;
import dev.fanin.write.BusStreamWriter;
import dev.fanin.write.ResultJson;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.fanin.aggregate.OverloadedException;
import dev.fanin.aggregate.RunInfo;
import dev.fanin.fetch.ClientBudgets;
import dev.fanin.definition.FieldError;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.List;

/**
 * The fanin.aggregate address: a definition, or {"feed", "params"}, in; the aggregate JSON out.
 * Failures are ReplyExceptions whose code is the HTTP status the same request would get.
 */
public final class BusIntake {
  /** Where aggregations are asked for: a definition, or {"feed", "params"}. */
  public static final String AGGREGATE = "fanin.aggregate";
  /** On a request to fanin.aggregate: send each result to this address as it completes. */
  public static final String STREAM_TO_HEADER = "stream-to";
  private static final Logger LOG = LoggerFactory.getLogger(BusIntake.class);
  private final EventBus bus;
  private final Aggregator aggregator;
  private final DefinitionParser definitions;
  private final FeedRuns feeds;
  private final String node;

  public BusIntake(EventBus bus, Aggregator aggregator, DefinitionParser definitions, FeedRuns feeds, String node) {
    this.bus = bus;
    this.aggregator = aggregator;
    this.definitions = definitions;
    this.feeds = feeds;
    this.node = node;
  }

  public MessageConsumer<Object> register() {
    return bus.consumer(AGGREGATE, this::handle);
  }

  private void handle(Message<Object> message) {
    Future<AggregationSpec> spec;
    try {
      spec = spec(message.body());
    } catch (RuntimeException e) {
      spec = Future.failedFuture(e);
    }
    spec.onSuccess(s -> {
      try {
        run(message, s);
      } catch (RuntimeException e) {
        fail(message, e);
      }
    }).onFailure(t -> fail(message, t));
  }

  private Future<AggregationSpec> spec(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw new InvalidDefinitionException(List.of(new FieldError("",
          "the message body must be a JSON object: a definition or {\"feed\", \"params\"}")));
    }
    if (json.containsKey("feed")) {
      if (!(json.getValue("feed") instanceof String name)) {
        throw new InvalidDefinitionException(List.of(
            new FieldError("/feed", "must be a feed name")));
      }
      return feeds.resolve(name, FeedRuns.params(json.getValue("params")));
    }
    return Future.succeededFuture(definitions.parse(json));
  }

  private void run(Message<Object> message, AggregationSpec spec) {
    String streamTo = message.headers().get(STREAM_TO_HEADER);
    if (streamTo != null) {
      Aggregation aggregation = aggregator.start(spec, new BusStreamWriter(bus, streamTo), info(message));
      aggregation.summary().onSuccess(s -> message.reply(new JsonObject(ResultJson.summary(s)), servedBy()));
      return;
    }
    AggregateDocument document = new AggregateDocument(spec.sources().size());
    aggregator.start(spec, document, info(message)).summary().onSuccess(summary -> {
      JsonObject aggregate = new JsonObject(document.encode(summary));
      if (summary.requiredOk()) {
        message.reply(aggregate, servedBy());
      } else {
        // the failure code is the status the same request would get over HTTP
        message.fail(summary.onlyTimeouts() ? 504 : 502, failureDetail(summary, aggregate));
      }
    });
  }

  /** Replies name the node that ran the aggregation, so that a cluster's spread can be seen. */
  private DeliveryOptions servedBy() {
    return new DeliveryOptions().addHeader("fanin-node", node);
  }

  /** The request id from the message's x-request-id header (or a new one), and the feed's name. */
  private static RunInfo info(Message<Object> message) {
    String feed = message.body() instanceof JsonObject json && json.getValue("feed") instanceof String f ? f : null;
    return new RunInfo(
        RunInfo.requestId(message.headers().get("x-request-id")), feed, null, null, ClientBudgets.BUS);
  }

  /** The problem detail of a failed aggregate: which required sources failed and why. */
  static String failureDetail(AggregateSummary summary, JsonObject aggregate) {
    StringBuilder detail = new StringBuilder()
        .append(summary.failed()).append(" of ").append(summary.ok() + summary.failed())
        .append(" sources failed");
    String sep = ": ";
    JsonObject results = aggregate.getJsonObject("results");
    for (String id : results.fieldNames()) {
      JsonObject error = results.getJsonObject(id).getJsonObject("error");
      if (error != null) {
        detail.append(sep).append(id).append(" (").append(error.getString("kind")).append(": ")
            .append(error.getString("message")).append(')');
        sep = "; ";
      }
    }
    return detail.toString();
  }

  private static void fail(Message<Object> message, Throwable t) {
    if (t instanceof InvalidDefinitionException ide) {
      message.fail(400, ide.getMessage());
    } else if (t instanceof OverloadedException oe) {
      message.fail(503, oe.getMessage());
    } else if (t instanceof ReplyException re && re.failureCode() >= 400) {
      message.fail(re.failureCode(), re.getMessage());
    } else {
      LOG.error("event-bus aggregation failed", t);
      message.fail(500, "fanin failed to handle the request; the failure was logged");
    }
  }
}
