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
}
