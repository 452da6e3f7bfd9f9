package dev.fanin.feeds;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.Aggregator;
import dev.fanin.aggregate.OverloadedException;
import dev.fanin.aggregate.RunInfo;
import dev.fanin.feedparse.CanonicalLinks;
import dev.fanin.cluster.PollerView;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.write.AggregateDocument;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls scheduled feeds. A feed's next run starts everyMs after the end of its previous run, so runs
 * of one feed never overlap (not even across a replacement) and a slow feed delays only itself.
 * Each run is published on fanin.feed.{name} and kept as the feed's latest run.
 *
 * <p>In a cluster every node keeps a slot for every scheduled feed, but only the node holding the
 * feed's poller lock (a Vert.x shared-data lock, which Hazelcast frees when its holder leaves or
 * dies) runs it. The others follow the runs published on the feed's address, so that whichever
 * takes over knows the latest run, the items already published and when the next run is due. A
 * node tries the locks it lacks once when a slot is created, whenever a member leaves the cluster,
 * and in a slow sweep one lock at a time. Confined to the registry's event loop.
 *
 * <p>It starts held: no lock is taken and no feed runs until {@link #release()}, which the registry
 * calls once the process listens (a process that cannot bind its port must not poll anything).
 */
final class FeedScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(FeedScheduler.class);
  static final String NODE_HEADER = "fanin-node";
  static final int MAX_SEEN_PER_FEED = 10_000;
  private final Vertx vertx;
  private final Aggregator aggregator;
  private final FeedDefinitionParser parser;
  private final String node;
  private final String lockPrefix;
  private final long sweepMs;
  private final PollerView view;
  private final Map<String, Slot> slots = new HashMap<>();
  private final FeedRunHub hub;
  /** Items a feed already published; bounded per feed, the oldest forgotten first. */
  private final Map<String, LinkedHashSet<String>> seen = new HashMap<>();
  /** When each feed's last run ended (this node's clock), from its own runs or those it heard of. */
  private final Map<String, Long> lastRunAt = new HashMap<>();
  private long sweepTimer = -1;
  private boolean sweeping;
  private boolean stopped;
  private boolean held = true;

  FeedScheduler(Vertx vertx, Aggregator aggregator, FeedDefinitionParser parser, String node, String lockPrefix,
      long sweepMs, PollerView view, FeedRunHub hub) {
    this.hub = hub;
    this.vertx = vertx;
    this.aggregator = aggregator;
    this.parser = parser;
    this.node = node;
    this.lockPrefix = lockPrefix;
    this.sweepMs = sweepMs;
    this.view = view;
    scheduleSweep(sweepMs);
  }

  /** One feed's schedule on this node; replaced whole when the feed changes. */
  private final class Slot {
    final Feed feed;
    /** The end of the replaced slot's last run: this slot's first run waits for it. */
    final Future<Void> previous;
    final MessageConsumer<JsonObject> follower;
    Lock lock;
    boolean acquiring;
    long timer = -1;
    boolean running;
    boolean cancelled;
    Promise<Void> runDone;

    Slot(Feed feed, Future<Void> previous) {
      this.feed = feed;
      this.previous = previous;
      this.follower = vertx.eventBus().consumer(FeedAddresses.runs(feed.name()), this::heard);
    }

    /** Completes when no run of this slot, nor of the slots it replaced, is in flight. */
    Future<Void> finished() {
      return running ? runDone.future() : previous;
    }

    /** A run published by another node (the poller before this one, or the current one). */
    void heard(Message<JsonObject> message) {
      if (node.equals(message.headers().get(NODE_HEADER)) || cancelled || message.body() == null
          || message.headers().contains(FeedAddresses.EVENT_HEADER)) {
        return;
      }
      JsonObject run = message.body();
      remember(feed.name(), run.getJsonArray("items"));
      keep(feed.name(), run);
      lastRunAt.put(feed.name(), System.currentTimeMillis());
    }

    /** Tries this feed's poller lock once, without waiting for it. */
    Future<Void> tryLead() {
      if (held || lock != null || acquiring || cancelled) {
        return Future.succeededFuture();
      }
      acquiring = true;
      return vertx.sharedData().getLockWithTimeout(lockPrefix + feed.name(), 1)
          .onSuccess(acquired -> {
            acquiring = false;
            if (cancelled) {
              acquired.release();
              return;
            }
            LOG.info("polling feed {} on this node ({})", feed.name(), node);
            lead(acquired);
            previous.onComplete(v -> runAfter(dueIn()));
          })
          .otherwise(t -> {
            acquiring = false;
            return null;
          })
          .mapEmpty();
    }

    void lead(Lock acquired) {
      lock = acquired;
      view.polling(feed.name(), true);
    }

    /** How long until the next run: everyMs after the last run this node knows of. */
    long dueIn() {
      Long last = lastRunAt.get(feed.name());
      return last == null ? 1 : last + feed.schedule().everyMs() - System.currentTimeMillis();
    }

    void runAfter(long delay) {
      if (cancelled || lock == null) {
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
      Future<AggregateSummary> summary;
      try {
        summary = aggregator.start(spec, document, RunInfo.anonymous().withFeed(feed.name())).summary();
      } catch (OverloadedException e) {
        // shed like any other aggregation; the next run comes at the usual time
        summary = Future.failedFuture(e);
      }
      summary.onComplete(ar -> {
        running = false;
        runDone.complete();
        lastRunAt.put(feed.name(), System.currentTimeMillis());
        if (ar.succeeded() && !cancelled) {
          JsonObject run = new JsonObject(document.encode(ar.result()))
              .put("feed", feed.name()).put("runAt", runAt);
          onlyNewItems(feed.name(), run);
          keep(feed.name(), run);
          vertx.eventBus().publish(FeedAddresses.runs(feed.name()), run,
              new DeliveryOptions().addHeader(NODE_HEADER, node));
        }
        // timed from the end of this run, so a slow upstream stretches the period instead of
        // starting the next run the moment this one ends
        runAfter(feed.schedule().everyMs());
      });
    }

    /** Stops this slot; its lock is released unless handed over to the slot replacing it. */
    void cancel(boolean keepLock) {
      cancelled = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      follower.unregister();
      if (lock != null && !keepLock) {
        Lock held = lock;
        // released once the last run ended, so that the next poller cannot overlap it
        finished().onComplete(v -> held.release());
        view.polling(feed.name(), false);
      }
    }
  }

  /** Starts, restarts or stops a feed's schedule to match its definition. */
  void apply(Feed feed) {
    Slot old = slots.remove(feed.name());
    Future<Void> previous = Future.succeededFuture();
    if (old != null) {
      // a run of the old definition may still be in flight: the new one must not overlap it
      previous = old.finished();
    }
    if (feed.schedule() == null || stopped) {
      if (old != null) {
        old.cancel(false);
        ended(feed.name(), "unscheduled");
      }
      forget(feed.name());
      return;
    }
    Slot slot = new Slot(feed, previous);
    slots.put(feed.name(), slot);
    if (old != null && old.lock != null) {
      // this node polls the feed already: the new definition keeps the lock and runs as soon as
      // the old one's run in flight (if any) ended
      Lock handedOver = old.lock;
      old.cancel(true);
      slot.lead(handedOver);
      previous.onComplete(v -> slot.runAfter(1));
    } else {
      if (old != null) {
        old.cancel(false);
      }
      slot.tryLead();
    }
  }

  /** Items already published are dropped from a run, so subscribers get new items only. */
  private void onlyNewItems(String name, JsonObject run) {
    JsonArray items = run.getJsonArray("items");
    if (items == null) {
      return;
    }
    LinkedHashSet<String> known = seen.computeIfAbsent(name, n -> new LinkedHashSet<>());
    JsonArray fresh = new JsonArray();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      List<String> keys = keys(item);
      if (keys.stream().anyMatch(known::contains)) {
        continue;
      }
      fresh.add(item);
      known.addAll(keys);
    }
    trim(known);
    run.put("items", fresh);
  }

  /** Adds the items of a run published elsewhere to what this feed has already published. */
  private void remember(String name, JsonArray items) {
    if (items == null) {
      return;
    }
    LinkedHashSet<String> known = seen.computeIfAbsent(name, n -> new LinkedHashSet<>());
    for (int i = 0; i < items.size(); i++) {
      if (items.getValue(i) instanceof JsonObject item) {
        known.addAll(keys(item));
      }
    }
    trim(known);
  }

  /** An item is the same item again if its id or its canonical link was seen. */
  private static List<String> keys(JsonObject item) {
    List<String> keys = new ArrayList<>(2);
    if (item.getValue("id") instanceof String id) {
      keys.add("id:" + id);
    }
    String canonical = item.getValue("link") instanceof String link ? CanonicalLinks.of(link) : null;
    if (canonical != null) {
      keys.add("link:" + canonical);
    }
    return keys;
  }

  private static void trim(LinkedHashSet<String> known) {
    while (known.size() > MAX_SEEN_PER_FEED) {
      known.remove(known.iterator().next());
    }
  }

  /** Hands a run (this node's or one heard from another) to this process's subscribers. */
  private void keep(String name, JsonObject run) {
    String id = run.getString("runAt");
    if (id != null) {
      hub.publish(name, id, run.toBuffer());
    }
  }

  private void forget(String name) {
    seen.remove(name);
    hub.forget(name);
    lastRunAt.remove(name);
  }

  void remove(String name) {
    Slot old = slots.remove(name);
    if (old != null) {
      old.cancel(false);
      ended(name, "deleted");
    }
    forget(name);
  }

  /**
   * Tells this node's subscribers of a feed that its runs ended (the feed was deleted or lost its
   * schedule): every node does so for its own, as each applies the change.
   */
  private void ended(String name, String why) {
    hub.ended(name, why);
    vertx.eventBus().publish(FeedAddresses.runs(name), new JsonObject().put("feed", name).put("event", why),
        new DeliveryOptions().setLocalOnly(true).addHeader(NODE_HEADER, node).addHeader(FeedAddresses.EVENT_HEADER, why));
  }

  JsonObject latest(String name) {
    return hub.latest(name);
  }

  /** The runs after the one with this id (see {@link RecentRuns#after}). */
  List<RecentRuns.Run> runsAfter(String name, String id) {
    return hub.after(name, id);
  }

  boolean isRunning(String name) {
    Slot slot = slots.get(name);
    return slot != null && slot.running;
  }

  /**
   * A member left the cluster: the locks it held are freed as Hazelcast cleans up after it, so try
   * them at once and twice more shortly after, rather than wait for the slow sweep.
   */
  void memberLeft() {
    sweep();
    for (long delay : new long[] {250, 1_000}) {
      vertx.setTimer(delay, t -> sweep());
    }
  }

  private void scheduleSweep(long delay) {
    if (!stopped) {
      sweepTimer = vertx.setTimer(delay, t -> {
        sweepTimer = -1;
        sweep();
      });
    }
  }

  /** Lets the schedules run: tries every feed's lock at once, then in the slow sweep. */
  void release() {
    if (held) {
      held = false;
      sweep();
    }
  }

  /** Tries, one after the other, the locks of the feeds this node does not poll. */
  private void sweep() {
    if (sweeping || stopped || held) {
      // while held, release() starts the next sweep
      return;
    }
    sweeping = true;
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
    ArrayDeque<Slot> todo = new ArrayDeque<>();
    slots.values().stream().filter(s -> s.lock == null).forEach(todo::add);
    sweepNext(todo);
  }

  private void sweepNext(ArrayDeque<Slot> todo) {
    Slot next = todo.poll();
    if (next == null || stopped) {
      sweeping = false;
      scheduleSweep(sweepMs);
      return;
    }
    next.tryLead().onComplete(v -> sweepNext(todo));
  }

  void stopAll() {
    stopped = true;
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    for (Slot slot : slots.values()) {
      slot.cancel(false);
    }
    slots.clear();
  }
}
