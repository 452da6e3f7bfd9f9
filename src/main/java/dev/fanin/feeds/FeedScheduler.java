package dev.fanin.feeds;

import dev.fanin.aggregate.Aggregator;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.write.AggregateDocument;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Map.Entry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls scheduled feeds. A feed's next run starts everyMs after the end of its previous run, so runs
 * of one feed never overlap (not even across a replacement) and a slow feed delays only itself.
 * Each run is published on fanin.feed.{name} and kept as the feed's latest run. Confined to the registry's event loop.
 */
final class FeedScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(FeedScheduler.class);
  private final Vertx vertx;
  private final Aggregator aggregator;
  private final FeedDefinitionParser parser;
  private final Map<String, Slot> slots = new HashMap<>();
  private final Map<String, JsonObject> latest = new HashMap<>();

  FeedScheduler(Vertx vertx, Aggregator aggregator, FeedDefinitionParser parser) {
    this.vertx = vertx;
    this.aggregator = aggregator;
    this.parser = parser;
  }

  /** One feed's schedule; replaced whole when the feed changes. */
  private final class Slot {
    final Feed feed;
    /** The end of the replaced slot's last run: this slot's first run waits for it. */
    final Future<Void> previous;
    long timer = -1;
    boolean running;
    boolean cancelled;
    Promise<Void> runDone;

    Slot(Feed feed, Future<Void> previous) {
      this.feed = feed;
      this.previous = previous;
    }

    /** Completes when no run of this slot, nor of the slots it replaced, is in flight. */
    Future<Void> finished() {
      return running ? runDone.future() : previous;
    }

    void runAfter(long delay) {
      if (cancelled) {
        return;
      }
      timer = vertx.setTimer(Math.max(1, delay), t -> {
        timer = -1;
        run();
      });
    }

    void run() {
      if (cancelled) {
        return;
      }
      AggregationSpec spec;
      try {
        spec = parser.resolve(feed, Map.of());
      } catch (RuntimeException e) {
        LOG.warn("scheduled feed {} cannot run: {}", feed.name(), e.getMessage());
        runAfter(feed.schedule().everyMs());
        return;
      }
      running = true;
      runDone = Promise.promise();
      AggregateDocument document = new AggregateDocument(spec.sources().size());
      String runAt = Instant.now().toString();
      io.vertx.core.Future<dev.fanin.aggregate.AggregateSummary> summary;
      try {
        summary = aggregator.start(spec, document, dev.fanin.aggregate.RunInfo.anonymous().withFeed(feed.name())).summary();
      } catch (dev.fanin.aggregate.OverloadedException e) {
        // shed like any other aggregation; the next run comes at the usual time
        summary = io.vertx.core.Future.failedFuture(e);
      }
      summary.onComplete(ar -> {
        running = false;
        runDone.complete();
        if (ar.succeeded() && !cancelled) {
          JsonObject run = new JsonObject(document.encode(ar.result()))
              .put("feed", feed.name()).put("runAt", runAt);
          onlyNewItems(feed.name(), run);
          latest.put(feed.name(), run);
          vertx.eventBus().publish(FeedAddresses.runs(feed.name()), run);
        }
        // timed from the end of this run, so a slow upstream stretches the period instead of
        // starting the next run the moment this one ends
        runAfter(feed.schedule().everyMs());
      });
    }

    void cancel() {
      cancelled = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
  }

  /** Starts, restarts or stops a feed's schedule to match its definition. */
  void apply(Feed feed) {
    Slot old = slots.remove(feed.name());
    Future<Void> previous = Future.succeededFuture();
    if (old != null) {
      old.cancel();
      // a run of the old definition may still be in flight: the new one must not overlap it
      previous = old.finished();
    }
    if (feed.schedule() == null) {
      latest.remove(feed.name());
      return;
    }
    Slot slot = new Slot(feed, previous);
    slots.put(feed.name(), slot);
    previous.onComplete(v -> slot.runAfter(1));
  }

  /** Items a feed already published; bounded per feed, the oldest forgotten first. */
  private final Map<String, java.util.LinkedHashSet<String>> seen = new HashMap<>();
  static final int MAX_SEEN_PER_FEED = 10_000;

  /**
   * Keeps in a run's merged items only those not published by earlier runs of the feed (by id and
   * canonical link), so subscribers receive a stream of new items, not the same page again.
   */
  private void onlyNewItems(String name, JsonObject run) {
    io.vertx.core.json.JsonArray items = run.getJsonArray("items");
    if (items == null) {
      return;
    }
    java.util.LinkedHashSet<String> known = seen.computeIfAbsent(name, n -> new java.util.LinkedHashSet<>());
    io.vertx.core.json.JsonArray fresh = new io.vertx.core.json.JsonArray();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      String id = item.getString("id") == null ? null : "id:" + item.getString("id");
      String canonical = dev.fanin.aggregate.Timeline.canonicalLink(item.getString("link"));
      String link = canonical == null ? null : "link:" + canonical;
      if ((id != null && known.contains(id)) || (link != null && known.contains(link))) {
        continue;
      }
      fresh.add(item);
      if (id != null) {
        known.add(id);
      }
      if (link != null) {
        known.add(link);
      }
    }
    while (known.size() > MAX_SEEN_PER_FEED) {
      known.remove(known.iterator().next());
    }
    run.put("items", fresh);
  }

  void remove(String name) {
    seen.remove(name);
    Slot old = slots.remove(name);
    if (old != null) {
      old.cancel();
    }
    latest.remove(name);
  }

  JsonObject latest(String name) {
    return latest.get(name);
  }

  boolean isRunning(String name) {
    Slot slot = slots.get(name);
    return slot != null && slot.running;
  }

  void stopAll() {
    for (Entry<String, Slot> e : slots.entrySet()) {
      e.getValue().cancel();
    }
    slots.clear();
  }
}
