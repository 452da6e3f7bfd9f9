package dev.fanin.aggregate;

import dev.fanin.fetch.ByteBudget;
import dev.fanin.fetch.Exchanges;
import io.vertx.core.Future;

/** Receives each source's result the moment it completes (on the aggregation's event loop). */
public interface ResultListener {
  /**
   * @param index the source's position in the definition
   */
  void onResult(int index, SourceResult result);

  /**
   * The aggregation's byte budget, given before the first result: a listener that releases a
   * result's data early (a stream, once written) gives its bytes back, and one that builds output
   * counts it while it waits to be written.
   */
  default void attach(ByteBudget budget) {}

  /**
   * Whether the sources record the HTTP exchanges they send, for an answer that shows them (HAR);
   * OFF, the default, costs nothing.
   */
  default Exchanges.Recording exchanges() {
    return Exchanges.Recording.OFF;
  }

  /**
   * Completes when the listener holds nothing of the aggregation any more (its answer has left the
   * process, or was abandoned): the aggregation's remaining bytes are then released.
   */
  default Future<?> done() {
    return Future.succeededFuture();
  }
}
