package dev.fanin.definition;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;

/**
 * One validated upstream source of a definition.
 *
 * @param body the request body to send, already encoded; null when there is none
 * @param contentType the body's media type; null when there is no body
 * @param projection select/fields applied to a JSON answer
 * @param secretHeaders headers (lower case) the source marks as credentials: never sent to another origin
 * @param keepBodyOnRedirect whether a 307/308 to another origin may carry the body
 * @param hedge when to send a second request while the first has not answered (GET and HEAD), or null
 * @param template what the source fills in from other sources' results before it runs, or null when
 *     it refers to none (then it starts at once)
 */
public record SourceSpec(
    String id,
    URI url,
    HttpMethod method,
    MultiMap headers,
    Buffer body,
    String contentType,
    int timeoutMs,
    int retries,
    boolean optional,
    SourceFormat format,
    Projection projection,
    CacheSpec cache,
    java.util.Set<String> secretHeaders,
    boolean keepBodyOnRedirect,
    dev.fanin.config.HedgeSpec hedge,
    SourceTemplate template) {

  /** This source with its references filled in: it runs as any source does. */
  public SourceSpec filled(java.net.URI url, io.vertx.core.MultiMap headers, io.vertx.core.buffer.Buffer body) {
    return filled(id, url, headers, body);
  }

  /** As {@link #filled}, under another id (one request of an expanded source: "orders.0"). */
  public SourceSpec filled(String id, java.net.URI url, io.vertx.core.MultiMap headers,
      io.vertx.core.buffer.Buffer body) {
    return new SourceSpec(id, url, method, headers, body, contentType, timeoutMs, retries, optional, format,
        projection, cache, secretHeaders, keepBodyOnRedirect, hedge, null);
  }
}
