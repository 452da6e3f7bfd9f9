package dev.fanin.feeds;

import static dev.fanin.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One feed's runner with a fake job: its pace, no overlap, and the node's lead. */
class FeedRunnerTest {
  final Vertx vertx = Vertx.vertx();
  final Context context = vertx.getOrCreateContext();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  static Feed feed(long everyMs) {
    return new Feed("f", new JsonObject(), Map.of(), new Schedule(everyMs), false, "\"e\"", 1);
  }

  /** Runs on the runner's event loop, as the scheduler does, and waits for the answer. */
  <T> T onLoop(Supplier<T> action) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> done.complete(action.get()));
    return done.future().await();
  }

  /** A job whose runs take {@code runMs}, recording when each started and ended. */
  final class FakeJob implements FeedRunner.Job<String> {
    final long runMs;
    final List<long[]> runs = new CopyOnWriteArrayList<>();
    final List<Boolean> endedCancelled = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger attempts = new AtomicInteger();
    volatile RuntimeException cannotRun;

    FakeJob(long runMs) {
      this.runMs = runMs;
    }

    @Override
    public Future<String> start(Feed feed) {
      attempts.incrementAndGet();
      if (cannotRun != null) {
        throw cannotRun;
      }
      long[] run = {System.nanoTime(), 0};
      runs.add(run);
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      Promise<String> done = Promise.promise();
      vertx.setTimer(runMs, t -> {
        inFlight.decrementAndGet();
        run[1] = System.nanoTime();
        done.complete("run " + runs.size());
      });
      return done.future();
    }

    @Override
    public void ended(Feed feed, AsyncResult<String> outcome, boolean cancelled) {
      endedCancelled.add(cancelled);
    }

    int ended() {
      return endedCancelled.size();
    }
  }

  static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  @Test
  void runsNeverOverlapAndEachStartsEveryMsAfterTheEndOfThePrevious() {
    FakeJob job = new FakeJob(60);
    FeedRunner<String> runner = new FeedRunner<>(vertx, feed(30), Future.succeededFuture(), () -> true, job);
    onLoop(() -> {
      runner.runAfter(1);
      return null;
    });
    assertTrue(eventually(5_000, () -> job.ended() >= 4), "runs: " + job.ended());
    onLoop(() -> {
      runner.cancel();
      return null;
    });
    assertEquals(1, job.maxInFlight.get(), "two runs were in flight at once");
    for (int i = 1; i < 4; i++) {
      long gap = ms(job.runs.get(i)[0] - job.runs.get(i - 1)[1]);
      assertTrue(gap >= 29, "run " + i + " started " + gap + " ms after the previous one ended");
    }
  }

  @Test
  void nothingIsTimedWhileThisNodeDoesNotPollTheFeed() throws Exception {
    FakeJob job = new FakeJob(1);
    AtomicBoolean leading = new AtomicBoolean();
    FeedRunner<String> runner = new FeedRunner<>(vertx, feed(20), Future.succeededFuture(), leading::get, job);
    onLoop(() -> {
      runner.runAfter(1);
      return null;
    });
    Thread.sleep(150);
    assertEquals(0, job.attempts.get());
    leading.set(true);
    onLoop(() -> {
      runner.runAfter(1);
      return null;
    });
    assertTrue(eventually(3_000, () -> job.ended() >= 2));
    leading.set(false);
    int runs = job.attempts.get();
    Thread.sleep(150);
    assertTrue(job.attempts.get() <= runs + 1, "kept running without the lead");
  }

  @Test
  void aRunnerReplacingAnotherWaitsForTheEndOfItsRunAndTheCancelledRunIsNotCurrent() throws Exception {
    FakeJob oldJob = new FakeJob(300);
    FeedRunner<String> old = new FeedRunner<>(vertx, feed(1_000), Future.succeededFuture(), () -> true, oldJob);
    onLoop(() -> {
      old.runAfter(1);
      return null;
    });
    assertTrue(eventually(3_000, () -> oldJob.inFlight.get() == 1), "the old run did not start");
    FakeJob newJob = new FakeJob(1);
    AtomicReference<FeedRunner<String>> replacement = new AtomicReference<>();
    onLoop(() -> {
      Future<Void> previous = old.finished();
      old.cancel();
      FeedRunner<String> next = new FeedRunner<>(vertx, feed(1_000), previous, () -> true, newJob);
      replacement.set(next);
      previous.onComplete(v -> next.runAfter(1));
      return null;
    });
    assertTrue(eventually(3_000, () -> newJob.ended() == 1), "the new definition never ran");
    long oldEnd = oldJob.runs.get(0)[1];
    assertTrue(oldEnd > 0 && newJob.runs.get(0)[0] >= oldEnd, "the runs overlapped");
    assertEquals(List.of(true), oldJob.endedCancelled, "the replaced run ended as cancelled");
    assertEquals(List.of(false), newJob.endedCancelled);
    assertTrue(onLoop(() -> replacement.get().finished().succeeded()));
  }

  @Test
  void aFeedThatCannotRunIsTriedAgainEveryMs() {
    FakeJob job = new FakeJob(1);
    job.cannotRun = new IllegalStateException("a parameter no longer resolves");
    FeedRunner<String> runner = new FeedRunner<>(vertx, feed(40), Future.succeededFuture(), () -> true, job);
    long start = System.nanoTime();
    onLoop(() -> {
      runner.runAfter(1);
      return null;
    });
    assertTrue(eventually(3_000, () -> job.attempts.get() >= 3));
    assertTrue(ms(System.nanoTime() - start) >= 80, "tried again sooner than everyMs");
    assertEquals(0, job.ended(), "a run that never started never ends");
    assertTrue(onLoop(() -> runner.finished().succeeded()), "nothing is in flight");
    onLoop(() -> {
      runner.cancel();
      return null;
    });
  }
}
