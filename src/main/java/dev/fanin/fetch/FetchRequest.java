package dev.fanin.fetch;

import dev.fanin.definition.SourceSpec;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * One upstream request as it travels down the fetch pipeline, with its per-source context.
 *
 * @param server the checked address and port to connect to, set by the guard; null to resolve the host
 */
public record FetchRequest(
    String sourceId,
    HttpMethod method,
    URI url,
    MultiMap headers,
    Buffer body,
    String contentType,
    int timeoutMs,
    int retries,
    InetSocketAddress server,
    FetchContext context) {

  public static FetchRequest of(SourceSpec source, FetchContext context) {
    return new FetchRequest(source.id(), source.method(), source.url(), source.headers(),
        source.body(), source.contentType(), source.timeoutMs(), source.retries(), null, context);
  }

  /** The same request, pinned to the address its host was resolved and checked to. */
  public FetchRequest withServer(InetSocketAddress address) {
    return new FetchRequest(sourceId, method, url, headers, body, contentType, timeoutMs, retries,
        address, context);
  }

  /** The same request with other headers (conditional headers, credentials dropped). */
  public FetchRequest withHeaders(MultiMap other) {
    return new FetchRequest(sourceId, method, url, other, body, contentType, timeoutMs, retries, server, context);
  }

  /**
   * The request a redirect leads to: another URL (its address still to be checked), perhaps another
   * method, and without a body when it became a GET.
   */
  public FetchRequest redirectedTo(URI target, HttpMethod nextMethod, MultiMap nextHeaders) {
    boolean keepsBody = nextMethod == method;
    return new FetchRequest(sourceId, nextMethod, target, nextHeaders, keepsBody ? body : null,
        keepsBody ? contentType : null, timeoutMs, retries, null, context);
  }

  /** The same request without its body. */
  public FetchRequest withoutBody() {
    return new FetchRequest(sourceId, method, url, headers, null, null, timeoutMs, retries, server, context);
  }

  /** The same request with another context (a copy for another event loop). */
  public FetchRequest withContext(FetchContext other) {
    return new FetchRequest(sourceId, method, url, headers, body, contentType, timeoutMs, retries, server, other);
  }

  /** The origin (scheme, host, port) this request goes to; breakers and limits are keyed by it. */
  public String origin() {
    return Origins.of(url);
  }
}
