package dev.fanin.aggregate;

/** Receives each source's result the moment it completes (on the aggregation's event loop). */
public interface ResultListener {
  /**
   * @param index the source's position in the definition
   */
  void onResult(int index, SourceResult result);

  /**
   * Whether results are kept until the end (a whole-document answer). When false, a result's
   * body is released from the aggregation's byte budget as soon as it has been handed over.
   */
  default boolean retainsResults() {
    return true;
  }

  /**
   * Completes when the last result handed over has left the process (written to the socket), so
   * its bytes can be counted free only then: a slow reader holds back the aggregation's budget.
   */
  default io.vertx.core.Future<?> lastWrite() {
    return io.vertx.core.Future.succeededFuture();
  }
}
