package dev.fanin.aggregate;

import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.Exchanges;
import dev.fanin.fetch.Timings;
import java.util.List;

/**
 * The outcome of one source.
 *
 * @param httpStatus the upstream status, 0 when no response arrived
 * @param latencyMs from the first attempt's start to the outcome
 * @param startMs when the first attempt started, from the aggregation's start
 * @param data the upstream body, or null
 * @param errorKind null when ok
 * @param fetchedAt when the outcome was known (epoch ms)
 * @param notes remarks that are not errors (e.g. a field pointer that matched nothing)
 * @param items a feed's items, for the merged timeline (not written out by themselves)
 * @param cache what the response cache did: miss, hit, revalidated, stale or coalesced
 * @param cacheAgeMs the age of the answer when it came from the cache
 * @param timings where the source's time went, attempt by attempt (frozen: read-only)
 * @param exchanges the HTTP exchanges it sent, when its run recorded them (a HAR answer), else null
 */
public record SourceResult(
    String id,
    boolean optional,
    int httpStatus,
    long latencyMs,
    long startMs,
    int attempts,
    SourceData data,
    ErrorKind errorKind,
    String errorMessage,
    long fetchedAt,
    List<String> notes,
    List<FeedItemRef> items,
    String cache,
    long cacheAgeMs,
    Timings timings,
    Exchanges exchanges) {

  /** A result without recorded exchanges. */
  public SourceResult(String id, boolean optional, int httpStatus, long latencyMs, long startMs, int attempts,
      SourceData data, ErrorKind errorKind, String errorMessage, long fetchedAt, List<String> notes,
      List<FeedItemRef> items, String cache, long cacheAgeMs, Timings timings) {
    this(id, optional, httpStatus, latencyMs, startMs, attempts, data, errorKind, errorMessage, fetchedAt, notes,
        items, cache, cacheAgeMs, timings, null);
  }

  public boolean ok() {
    return errorKind == null;
  }
}
