package dev.fanin.cache;

import dev.fanin.fetch.FetchResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Objects;

/**
 * A stored upstream answer and what is needed to judge and revalidate it.
 *
 * @param storedAt when it was stored or last revalidated (epoch ms)
 * @param initialAgeMs the Age the upstream reported at that moment
 * @param lifetimeMs how long it is fresh; 0 = must be revalidated before use
 * @param staleIfErrorMs the upstream's own stale-if-error directive (RFC 5861), 0 when none
 * @param varyNames request headers the answer varies by, and their values when it was fetched
 */
record CachedResponse(int status, MultiMap headers, Buffer body, long storedAt, long initialAgeMs,
    long lifetimeMs, long staleIfErrorMs, List<String> varyNames, List<String> varyValues) {

  long ageMs(long now) {
    return initialAgeMs + Math.max(0, now - storedAt);
  }

  boolean isFresh(long now) {
    return ageMs(now) < lifetimeMs;
  }

  /**
   * Whether it may stand in for a failed upstream: within the source's stale-if-error window, or
   * the upstream's own stale-if-error directive when the source sets none.
   */
  boolean usableOnError(long now, long sourceWindowMs) {
    long window = sourceWindowMs > 0 ? sourceWindowMs : staleIfErrorMs;
    return ageMs(now) < lifetimeMs + window;
  }

  String etag() {
    return headers.get("ETag");
  }

  String lastModified() {
    return headers.get("Last-Modified");
  }

  boolean hasValidators() {
    return etag() != null || lastModified() != null;
  }

  boolean matches(MultiMap requestHeaders) {
    for (int i = 0; i < varyNames.size(); i++) {
      if (!Objects.equals(requestHeaders.get(varyNames.get(i)), varyValues.get(i))) {
        return false;
      }
    }
    return true;
  }

  FetchResponse toResponse() {
    return new FetchResponse(status, headers, body);
  }

  int weight() {
    return body.length() + 512;
  }
}
