package dev.fanin.feeds;

import dev.fanin.feeds.FeedLeases.Lease;
import dev.fanin.feeds.ScheduledRuns.Outcome;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Polls scheduled feeds. Every node keeps a slot for every scheduled feed: its lease (only the node
 * holding the feed's lock polls it, see {@link FeedLeases}), its runner ({@link FeedRunner}: runs
 * everyMs after the previous one ended, never overlapping) and a follower of the runs published on
 * the feed's address, so that whichever node takes a feed over knows its latest run, the items
 * already published ({@link SeenItems}) and when its next run is due. Confined to the registry's
 * event loop; no feed runs until {@link #release()}.
 */
final class FeedScheduler {
  private final Vertx vertx;
  private final String node;
  private final FeedLeases leases;
  private final ScheduledRuns runs;
  private final SeenItems seen;
  private final FeedRunHub hub;
  private final Map<String, Slot> slots = new HashMap<>();
  /** When each feed's last run ended (this node's clock), from its own runs or those it heard of. */
  private final Map<String, Long> lastRunAt = new HashMap<>();
  private boolean stopped;

  /** @param seen the items published, which {@code runs} cuts its runs' items with */
  FeedScheduler(Vertx vertx, String node, FeedLeases leases, ScheduledRuns runs, SeenItems seen, FeedRunHub hub) {
    this.vertx = vertx;
    this.node = node;
    this.leases = leases;
    this.runs = runs;
    this.seen = seen;
    this.hub = hub;
  }

  /** One definition of a scheduled feed on this node; replaced whole when the feed changes. */
  private final class Slot implements FeedRunner.Job<Outcome> {
    final Feed feed;
    final FeedRunner<Outcome> runner;
    final MessageConsumer<JsonObject> follower;
    Lease lease;

    Slot(Feed feed, Future<Void> previous) {
      this.feed = feed;
      this.runner = new FeedRunner<>(vertx, feed, previous, () -> lease != null && lease.leads(), this);
      this.follower = vertx.eventBus().consumer(FeedAddresses.runs(feed.name()), this::heard);
    }

    @Override
    public Future<Outcome> start(Feed feed) {
      return runs.start(feed);
    }

    @Override
    public void ended(Feed feed, AsyncResult<Outcome> outcome, boolean cancelled) {
      lastRunAt.put(feed.name(), System.currentTimeMillis());
      if (outcome.succeeded() && !cancelled) {
        runs.publish(feed.name(), outcome.result());
      }
    }

    /** A run published by another node (the poller before this one, or the current one). */
    void heard(Message<JsonObject> message) {
      if (node.equals(message.headers().get(FeedAddresses.NODE_HEADER)) || runner.cancelled()
          || message.body() == null || message.headers().contains(FeedAddresses.EVENT_HEADER)) {
        return;
      }
      JsonObject run = message.body();
      seen.remember(feed.name(), run.getJsonArray("items"));
      runs.keep(feed.name(), run);
      lastRunAt.put(feed.name(), System.currentTimeMillis());
    }

    /** This node took the feed's lock: the next run is everyMs after the last run it knows of. */
    void led() {
      runner.previous().onComplete(v -> {
        Long last = lastRunAt.get(feed.name());
        runner.runAfter(last == null ? 1 : last + feed.schedule().everyMs() - System.currentTimeMillis());
      });
    }

    /** Stops this slot; its lease ends too unless the slot replacing it takes the lock over. */
    void cancel(boolean handingOver) {
      runner.cancel();
      follower.unregister();
      if (!handingOver) {
        lease.cancel(runner.finished());
      }
    }
  }

  /** Starts, restarts or stops a feed's schedule to match its definition. */
  void apply(Feed feed) {
    Slot old = slots.remove(feed.name());
    // a run of the old definition may still be in flight: the new one must not overlap it
    Future<Void> previous = old != null ? old.runner.finished() : Future.succeededFuture();
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
    if (old != null && old.lease.leads()) {
      // this node polls the feed already: the new definition keeps the lock and runs as soon as
      // the old one's run in flight (if any) ended
      old.cancel(true);
      slot.lease = leases.handOver(old.lease, slot::led);
      previous.onComplete(v -> slot.runner.runAfter(1));
    } else {
      if (old != null) {
        old.cancel(false);
      }
      slot.lease = leases.lease(feed.name(), slot::led);
      slot.lease.tryLead();
    }
  }

  void remove(String name) {
    Slot old = slots.remove(name);
    if (old != null) {
      old.cancel(false);
      ended(name, "deleted");
    }
    forget(name);
  }

  private void forget(String name) {
    seen.forget(name);
    hub.forget(name);
    lastRunAt.remove(name);
  }

  /**
   * Tells this node's subscribers of a feed that its runs ended (the feed was deleted or lost its
   * schedule): every node does so for its own, as each applies the change.
   */
  private void ended(String name, String why) {
    hub.ended(name, why);
    vertx.eventBus().publish(FeedAddresses.runs(name), new JsonObject().put("feed", name).put("event", why),
        new DeliveryOptions().setLocalOnly(true).addHeader(FeedAddresses.NODE_HEADER, node)
            .addHeader(FeedAddresses.EVENT_HEADER, why));
  }

  /** Lets the schedules run: the registry calls it once the process listens. */
  void release() {
    leases.release();
  }

  /** A member left the cluster: the locks it held are about to be free. */
  void memberLeft() {
    leases.memberLeft();
  }

  void stopAll() {
    stopped = true;
    leases.stop();
    for (Slot slot : slots.values()) {
      slot.cancel(false);
    }
    slots.clear();
  }
}
