package dev.fanin.fetch;

import dev.fanin.definition.SourceSpec;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;

/** One upstream request as it travels down the fetch pipeline, with its per-source context. */
public record FetchRequest(
    String sourceId,
    HttpMethod method,
    URI url,
    MultiMap headers,
    Buffer body,
    String contentType,
    int timeoutMs,
    int retries,
    FetchContext context) {

  public static FetchRequest of(SourceSpec source, FetchContext context) {
    return new FetchRequest(source.id(), source.method(), source.url(), source.headers(),
        source.body(), source.contentType(), source.timeoutMs(), source.retries(), context);
  }

  /** The origin (scheme, host, port) this request goes to; breakers and limits are keyed by it. */
  public String origin() {
    return Origins.of(url);
  }
}
