package dev.fanin.feeds;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runs of scheduled feeds inside one process: each run, encoded once, goes to every event loop
 * that follows the feed (the same bytes for all of its subscribers, no copy per subscriber), and
 * the last few are kept for subscribers who resume. It also counts subscribers, bounded per feed
 * and per process (feeds.maxSubscribersPerFeed, feeds.maxSubscribers).
 */
public final class FeedRunHub {
  /** One event loop's interest in a feed's runs. */
  public interface Follower {
    /** Where to call it. */
    Context context();

    void run(String id, Buffer json);

    /** The feed's runs ended: it was deleted ("deleted") or lost its schedule ("unscheduled"). */
    void ended(String why);
  }

  private final Map<String, Set<Follower>> followers = new ConcurrentHashMap<>();
  private final Map<String, RecentRuns> recent = new ConcurrentHashMap<>();
  private final Map<String, LatestTimeline> timelines = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> subscribers = new ConcurrentHashMap<>();
  private final AtomicInteger allSubscribers = new AtomicInteger();
  private final int maxSubscribers;
  private final int maxPerFeed;

  public FeedRunHub(int maxSubscribers, int maxPerFeed) {
    this.maxSubscribers = maxSubscribers;
    this.maxPerFeed = maxPerFeed;
  }

  public void follow(String feed, Follower follower) {
    followers.computeIfAbsent(feed, f -> new CopyOnWriteArraySet<>()).add(follower);
  }

  public void unfollow(String feed, Follower follower) {
    followers.computeIfPresent(feed, (f, set) -> {
      set.remove(follower);
      return set.isEmpty() ? null : set;
    });
  }

  /** A run of a feed (this node's, or one heard from the node that polls it). */
  void publish(String feed, String id, Buffer json) {
    recent.computeIfAbsent(feed, f -> new RecentRuns()).add(id, json);
    for (Follower follower : followers.getOrDefault(feed, Set.of())) {
      follower.context().runOnContext(v -> follower.run(id, json));
    }
  }

  /** The feed's runs ended; its remembered runs are forgotten. */
  void ended(String feed, String why) {
    recent.remove(feed);
    timelines.remove(feed);
    for (Follower follower : followers.getOrDefault(feed, Set.of())) {
      follower.context().runOnContext(v -> follower.ended(why));
    }
  }

  /** Forgets a feed's runs (it is no longer scheduled here). */
  void forget(String feed) {
    recent.remove(feed);
    timelines.remove(feed);
  }

  /** The whole merged timeline of a run of this node's. */
  void timeline(String feed, LatestTimeline timeline) {
    timelines.put(feed, timeline);
  }

  /** A run heard from another node, whose items are only the new ones: added to the timeline kept. */
  void heardItems(String feed, String runAt, JsonArray fresh) {
    timelines.compute(feed, (f, kept) -> (kept == null ? new LatestTimeline(runAt, new JsonArray()) : kept)
        .with(runAt, fresh));
  }

  /** The merged timeline of a scheduled feed as of its latest run, or null (no run, or it merges no items). */
  public LatestTimeline latestTimeline(String feed) {
    return timelines.get(feed);
  }

  /** The runs after the one with this id (see {@link RecentRuns#after}). */
  public List<RecentRuns.Run> after(String feed, String id) {
    RecentRuns runs = recent.get(feed);
    return runs == null ? List.of() : runs.after(id);
  }

  /** The latest run of a feed, or null. */
  JsonObject latest(String feed) {
    RecentRuns runs = recent.get(feed);
    return runs == null ? null : runs.latest();
  }

  /**
   * Counts a new subscriber of a feed in; returns why it cannot join (a bound is reached), or null.
   * Every successful join must be followed by {@link #leave}.
   */
  public String join(String feed) {
    if (allSubscribers.incrementAndGet() > maxSubscribers) {
      allSubscribers.decrementAndGet();
      return "fanin already serves " + maxSubscribers + " feed subscribers (feeds.maxSubscribers)";
    }
    AtomicInteger mine = subscribers.computeIfAbsent(feed, f -> new AtomicInteger());
    if (mine.incrementAndGet() > maxPerFeed) {
      mine.decrementAndGet();
      allSubscribers.decrementAndGet();
      return "feed " + feed + " already has " + maxPerFeed + " subscribers (feeds.maxSubscribersPerFeed)";
    }
    return null;
  }

  public void leave(String feed) {
    allSubscribers.decrementAndGet();
    subscribers.computeIfPresent(feed, (f, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  public int subscribers() {
    return allSubscribers.get();
  }
}
