package dev.fanin.fetch;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A complete upstream response of any status (non-2xx is a value, not a failure, at this level),
 * with what the decorators did to get it: where it came from (the cache, a coalesced request, or
 * the upstream) and remarks for the source's result.
 *
 * @param cache what the response cache did: miss, hit, revalidated, stale or coalesced
 * @param cacheAgeMs the answer's age when it came from the cache, else 0
 * @param notes remarks for the result (why a retry was not made, a redirect limit met)
 */
public record FetchResponse(int status, MultiMap headers, Buffer body, String cache, long cacheAgeMs,
    List<String> notes) {

  /** A response straight from the upstream. */
  public FetchResponse(int status, MultiMap headers, Buffer body) {
    this(status, headers, body, "miss", 0, List.of());
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** The same response, as served by the cache. */
  public FetchResponse withCache(String cache, long ageMs) {
    return new FetchResponse(status, headers, body, cache, ageMs, notes);
  }

  /** The same response with one more remark. */
  public FetchResponse withNote(String note) {
    List<String> more = new ArrayList<>(notes);
    more.add(note);
    return new FetchResponse(status, headers, body, cache, cacheAgeMs, List.copyOf(more));
  }
}
