package dev.fanin.feeds;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * This node's registry changes, one after another: each one's checks see every earlier change
 * already applied (its own writes, others' announcements, the periodic sync). Confined to the
 * registry's event loop.
 */
final class ChangeQueue {
  private Future<?> tail = Future.succeededFuture();

  /** Runs the change once every change submitted before it has ended; completes as it does. */
  <T> Future<T> submit(Supplier<Future<T>> change) {
    Promise<T> done = Promise.promise();
    tail = tail.transform(ignored -> {
      Future<T> f;
      try {
        f = change.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      return f.onComplete(done);
    });
    return done.future();
  }

  /** Completes once every change submitted so far has ended, however it ended. */
  Future<Void> drained() {
    return tail.<Void>mapEmpty().otherwiseEmpty();
  }

  /** Runs a step for each item, each once the previous one succeeded. */
  static <T> Future<Void> inOrder(Iterable<T> items, Function<T, Future<Void>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> step.apply(item));
    }
    return chain;
  }
}
