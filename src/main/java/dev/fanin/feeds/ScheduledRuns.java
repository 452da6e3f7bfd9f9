package dev.fanin.feeds;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.Aggregator;
import dev.fanin.aggregate.OverloadedException;
import dev.fanin.aggregate.RunInfo;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.write.AggregateDocument;
import dev.fanin.tracing.TraceSpan;
import dev.fanin.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * What a scheduled run is: the feed resolved with its parameters' defaults and aggregated; then its
 * merged items cut to those not published before ({@link SeenItems}), the run encoded once — the
 * aggregate document plus "feed" and "runAt" — and handed to this process's subscribers (through the
 * {@link FeedRunHub}) and to the event bus at fanin.feed.{name}.
 */
final class ScheduledRuns {
  /** A run that ended: its document (results collected, not yet encoded), how it ended, and when it began. */
  record Outcome(AggregateDocument document, AggregateSummary summary, String runAt) {}

  private final Vertx vertx;
  private final Aggregator aggregator;
  private final FeedDefinitionParser parser;
  private final SeenItems seen;
  private final FeedRunHub hub;
  private final String node;
  private final Function<String, FeedClient> owners;
  private final Tracing tracing;

  /** @param owners a feed's owner by name, whose upstream budget its runs draw on */
  ScheduledRuns(Vertx vertx, Aggregator aggregator, FeedDefinitionParser parser, SeenItems seen, FeedRunHub hub,
      String node, Function<String, FeedClient> owners, Tracing tracing) {
    this.tracing = tracing;
    this.owners = owners;
    this.vertx = vertx;
    this.aggregator = aggregator;
    this.parser = parser;
    this.seen = seen;
    this.hub = hub;
    this.node = node;
  }

  /** Starts a run; throws when the feed cannot be resolved (see {@link FeedRunner.Job#start}). */
  Future<Outcome> start(Feed feed) {
    AggregationSpec spec = parser.resolve(feed, Map.of());
    AggregateDocument document = new AggregateDocument(spec.sources().size());
    String runAt = Instant.now().toString();
    Future<AggregateSummary> summary;
    // the root of the poll's trace: its aggregation's span is a child of it
    TraceSpan poll = tracing.start("feed.poll").attribute("fanin.feed", feed.name());
    try {
      FeedClient owner = owners.apply(feed.name());
      summary = poll.within(() -> aggregator.start(spec, document,
          RunInfo.scheduled(feed.name(), owner.keyId(), owner.address()))).summary();
    } catch (OverloadedException e) {
      // shed like any other aggregation; the next run comes at the usual time
      summary = Future.failedFuture(e);
    } catch (RuntimeException e) {
      poll.error("internal", e.getMessage());
      poll.end();
      throw e;
    }
    return summary.andThen(ar -> {
      if (ar.failed()) {
        poll.error(ar.cause() instanceof OverloadedException ? "overloaded" : "internal", ar.cause().getMessage());
      }
      poll.end();
    }).map(s -> new Outcome(document, s, runAt));
  }

  /** Publishes a run of this node's with the items not published before. */
  void publish(String feed, Outcome outcome) {
    AggregateSummary summary = outcome.summary();
    if (summary.items() != null) {
      hub.timeline(feed, new LatestTimeline(outcome.runAt(), summary.items()));
      summary = withItems(summary, seen.onlyNew(feed, summary.items()));
    }
    Buffer run = runJson(outcome.document().encode(summary), feed, outcome.runAt());
    hub.publish(feed, outcome.runAt(), run);
    vertx.eventBus().publish(FeedAddresses.runs(feed), new JsonObject(run),
        new DeliveryOptions().addHeader(FeedAddresses.NODE_HEADER, node));
  }

  /** Hands a run published by another node (the feed's poller) to this process's subscribers. */
  void keep(String feed, JsonObject run) {
    String id = run.getString("runAt");
    if (id != null) {
      if (run.getValue("items") instanceof JsonArray items) {
        hub.heardItems(feed, id, items);
      }
      hub.publish(feed, id, run.toBuffer());
    }
  }

  private static AggregateSummary withItems(AggregateSummary s, JsonArray items) {
    return new AggregateSummary(s.complete(), s.durationMs(), s.ok(), s.failed(), s.requiredOk(), s.onlyTimeouts(),
        items);
  }

  /**
   * The aggregate document with "feed" and "runAt" after its other fields, on one line: upstream
   * JSON is spliced in as it came, and its line breaks (whitespace, since JSON strings cannot hold
   * raw ones) would break the SSE event that carries the run as a single data line.
   */
  static Buffer runJson(Buffer aggregate, String feed, String runAt) {
    int end = aggregate.length() - 1;
    Buffer out = Buffer.buffer(aggregate.length() + feed.length() + runAt.length() + 32);
    int from = 0;
    for (int i = 0; i < end; i++) {
      byte b = aggregate.getByte(i);
      if (b == '\n' || b == '\r') {
        out.appendBuffer(aggregate, from, i - from);
        from = i + 1;
      }
    }
    out.appendBuffer(aggregate, from, end - from);
    return out.appendString(",\"feed\":").appendString(Json.encode(feed))
        .appendString(",\"runAt\":").appendString(Json.encode(runAt)).appendByte((byte) '}');
  }
}
