package dev.fanin.feeds;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One definition of one scheduled feed on the node that polls it: a timer, a run, and the next
 * timer everyMs after the end of that run, so runs of a feed never overlap and a slow feed delays
 * only itself. A runner that replaces another (the feed changed) waits for the end of the other's
 * last run. What a run does is its {@link Job}'s. Confined to the registry's event loop.
 *
 * @param <T> what a run yields
 */
final class FeedRunner<T> {
  private static final Logger LOG = LoggerFactory.getLogger(FeedRunner.class);

  /** What one run does. */
  interface Job<T> {
    /** Starts one run; throws when the feed cannot run now (the next try is everyMs later). */
    Future<T> start(Feed feed);

    /** A run ended, before the next one is timed; {@code cancelled}: the runner was stopped meanwhile. */
    void ended(Feed feed, AsyncResult<T> outcome, boolean cancelled);
  }

  private final Vertx vertx;
  private final Feed feed;
  private final Future<Void> previous;
  private final BooleanSupplier leading;
  private final Job<T> job;
  private long timer = -1;
  private boolean running;
  private boolean cancelled;
  private Promise<Void> runDone;

  /**
   * @param previous completes when the last run of the runner this one replaces has ended
   * @param leading whether this node polls the feed now: a run is timed only while it does
   */
  FeedRunner(Vertx vertx, Feed feed, Future<Void> previous, BooleanSupplier leading, Job<T> job) {
    this.vertx = vertx;
    this.feed = feed;
    this.previous = previous;
    this.leading = leading;
    this.job = job;
  }

  /** Completes when the runners this one replaced have no run in flight. */
  Future<Void> previous() {
    return previous;
  }

  /** Completes when no run of this runner, nor of the runners it replaced, is in flight. */
  Future<Void> finished() {
    return running ? runDone.future() : previous;
  }

  boolean cancelled() {
    return cancelled;
  }

  /** Times the next run (at least 1 ms away), unless stopped or this node does not poll the feed. */
  void runAfter(long delay) {
    if (cancelled || !leading.getAsBoolean()) {
      return;
    }
    timer = vertx.setTimer(Math.max(1, delay), t -> {
      timer = -1;
      run();
    });
  }

  private void run() {
    if (cancelled) {
      return;
    }
    Future<T> outcome;
    try {
      outcome = job.start(feed);
    } catch (RuntimeException e) {
      LOG.warn("scheduled feed {} cannot run: {}", feed.name(), e.getMessage());
      runAfter(feed.schedule().everyMs());
      return;
    }
    running = true;
    runDone = Promise.promise();
    outcome.onComplete(ar -> {
      running = false;
      runDone.complete();
      job.ended(feed, ar, cancelled);
      // timed from the end of this run, so a slow upstream stretches the period instead of
      // starting the next run the moment this one ends
      runAfter(feed.schedule().everyMs());
    });
  }

  /** Stops timing runs; a run in flight ends on its own (see {@link #finished()}). */
  void cancel() {
    cancelled = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
