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
    dev.fanin.config.HedgeSpec hedge) {}
