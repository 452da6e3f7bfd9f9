package dev.fanin.fetch;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import dev.fanin.policy.LoopMark;
import dev.fanin.tracing.TraceSpan;
import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.IntSupplier;

/**
 * The innermost fetcher: one HTTP exchange with a hard time bound, a counted body and a reset
 * (connection closed) whenever the attempt is abandoned, so nothing keeps running behind it.
 *
 * <p>It times the exchange into the attempt's timings: getting a connection (a wait for the pool
 * when the connection was used before, else connecting: Vert.x does not tell a new connection's
 * wait in the pool's queue from its connect), the response head (from sending), the body.
 */
public final class HttpFetcher implements Fetcher {
  private final Vertx vertx;
  private final HttpClient client;
  private final int connectTimeoutMs;
  private final UpstreamSlots upstreamSlots;
  private final IntSupplier maxUpstream;
  private final LoopMark mark;
  /** Connections some request already used: the next request on one of them did not connect. */
  private final Map<HttpConnection, Boolean> used = new WeakHashMap<>();

  /**
   * @param upstreamSlots requests in flight to all upstreams of the process (the bulkhead)
   * @param maxUpstream its bound, client.maxConnections
   * @param mark the Via entry every upstream request carries, so fanin recognises its own requests
   */
  public HttpFetcher(Vertx vertx, HttpClient client, int connectTimeoutMs,
      UpstreamSlots upstreamSlots, IntSupplier maxUpstream, LoopMark mark) {
    this.mark = mark;
    this.vertx = vertx;
    this.client = client;
    this.connectTimeoutMs = connectTimeoutMs;
    this.upstreamSlots = upstreamSlots;
    this.maxUpstream = maxUpstream;
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    FetchContext context = request.context();
    if (context.isCancelled()) {
      return Future.failedFuture(context.cancellation());
    }
    if (!upstreamSlots.tryEnter(maxUpstream.getAsInt())) {
      return Future.failedFuture(new FetchException(ErrorKind.REJECTED, "fanin already has "
          + maxUpstream.getAsInt() + " upstream requests in flight (client.maxConnections)"));
    }
    context.attemptStarted();
    return new Attempt(request).start().andThen(ar -> upstreamSlots.exit());
  }

  /** Whether a request before this one used the connection (it came from the pool, not a connect). */
  private boolean reused(HttpConnection connection) {
    if (connection == null) {
      return false;
    }
    synchronized (used) {
      return used.put(connection, Boolean.TRUE) != null;
    }
  }

  /** One attempt: completes exactly once, through {@link #succeed} or {@link #fail}. */
  private final class Attempt {
    private final FetchRequest request;
    private final FetchContext context;
    private final Promise<FetchResponse> promise = Promise.promise();
    private long timer = -1;
    private Runnable unhookCancel;
    private HttpClientRequest clientRequest;
    private Buffer body;
    private long held;
    private int status;
    private ContentDecoding decoding;
    private boolean done;
    /** What this attempt sent and got, when the source records its exchanges (a HAR answer), else null. */
    private final Exchanges.Exchange exchange;
    /** This attempt's client span (a child of its aggregation's), or NONE when not tracing. */
    private final TraceSpan span;

    Attempt(FetchRequest request) {
      this.request = request;
      this.context = request.context();
      this.span = context.trace().recording() ? attemptSpan() : TraceSpan.NONE;
      Exchanges log = context.exchanges();
      this.exchange = log == null ? null : log.start(context.timings().attempts() - 1, System.currentTimeMillis());
      if (exchange != null) {
        exchange.method = request.method().name();
        exchange.url = request.url().toString();
        exchange.requestHeaders.addAll(request.headers());
        exchange.requestBodySize = request.body() == null ? 0 : request.body().length();
        exchange.requestContentType = request.body() == null ? null : request.contentType();
        exchange.requestBody = log.bodies() ? request.body() : null;
      }
    }

    private TraceSpan attemptSpan() {
      String conditional = request.headers().get("If-None-Match") != null
          || request.headers().get("If-Modified-Since") != null ? "revalidate" : "miss";
      return context.trace().child(request.method().name(), true)
          .attribute("fanin.source.id", request.sourceId())
          .attribute("http.request.method", request.method().name())
          .attribute("fanin.origin", request.origin())
          .attribute("server.address", request.url().getHost())
          .attribute("server.port", Origins.port(request.url()))
          .attribute("fanin.attempt", context.attemptNumber())
          .attribute("fanin.cache", context.cacheSpec() == null ? "off" : conditional)
          .attribute("fanin.breaker.state", context.breakerState());
    }

    Future<FetchResponse> start() {
      int timeout = request.timeoutMs();
      timer = vertx.setTimer(timeout, t -> {
        timer = -1;
        fail(new FetchException(ErrorKind.TIMEOUT, "no complete response within " + timeout + " ms"));
      });
      unhookCancel = context.onCancel(() -> fail(context.cancellation()));
      if (done) {
        return promise.future();
      }
      RequestOptions options = RequestTarget.of(request.url())
          .setMethod(request.method())
          .setHeaders(request.headers())
          .setConnectTimeout(Math.min(connectTimeoutMs, timeout))
          .setFollowRedirects(false);
      if (request.server() != null) {
        options.setServer(SocketAddress.inetSocketAddress(request.server()));
      }
      context.timings().enter(Timings.Phase.CONNECT);
      client.request(options).onComplete(ar -> {
        if (ar.failed()) {
          fail(TransportFailures.of(ar.cause()));
        } else if (done) {
          // abandoned while it waited for a connection: nobody reads its outcome, so don't let Vert.x
          // log the reset as an unhandled error
          ar.result().exceptionHandler(t -> { }).reset();
        } else {
          send(ar.result());
        }
      });
      return promise.future();
    }

    private void send(HttpClientRequest req) {
      clientRequest = req;
      context.timings().leaveAs(Timings.Phase.CONNECT, reused(req.connection()) ? Timings.Phase.POOL : Timings.Phase.CONNECT);
      // on the request's own copy of the headers: the source's map is shared
      if (context.requestId() != null && !request.headers().contains("X-Request-Id")) {
        req.putHeader("X-Request-Id", context.requestId());
      }
      req.putHeader(HttpHeaderNames.VIA, mark.via(context.via()));
      // W3C traceparent of this attempt's span: the upstream's own spans join the trace
      span.inject(req::putHeader);
      if (!request.headers().contains(HttpHeaderNames.ACCEPT_ENCODING)) {
        req.putHeader(HttpHeaderNames.ACCEPT_ENCODING, ContentDecoding.ACCEPTED);
      }
      if (request.body() != null && !request.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
        req.putHeader(HttpHeaderNames.CONTENT_TYPE, request.contentType());
      }
      if (exchange != null) {
        exchange.requestHeaders = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
        exchange.httpVersion = Exchanges.Exchange.version(req.version());
      }
      context.timings().enter(Timings.Phase.HEAD);
      Future<HttpClientResponse> sent = request.body() != null ? req.send(request.body()) : req.send();
      sent.onComplete(ar -> {
        if (ar.failed()) {
          fail(TransportFailures.of(ar.cause()));
        } else if (!done) {
          receive(ar.result());
        }
      });
    }

    private void receive(HttpClientResponse response) {
      context.timings().enter(Timings.Phase.BODY);
      status = response.statusCode();
      if (exchange != null) {
        exchange.status = status;
        exchange.statusText = response.statusMessage() == null ? "" : response.statusMessage();
        exchange.responseHeaders = response.headers();
        exchange.httpVersion = Exchanges.Exchange.version(response.version());
        exchange.wireBodyBytes = 0;
      }
      response.exceptionHandler(t -> fail(TransportFailures.isProtocolError(t) ? TransportFailures.of(t) : new FetchException(ErrorKind.CONNECT,
          "connection failed while reading the body: " + TransportFailures.describe(t))));
      long declared = declaredLength(response.getHeader(HttpHeaderNames.CONTENT_LENGTH));
      if (declared > context.maxBodyBytes()) {
        fail(tooLarge(null));
        return;
      }
      try {
        decoding = ContentDecoding.of(response.getHeader(HttpHeaderNames.CONTENT_ENCODING), context.maxBodyBytes());
      } catch (FetchException e) {
        fail(e);
        return;
      }
      // sized from Content-Length when known, so a large body is not copied while the buffer grows
      body = Buffer.buffer(declared >= 0 && decoding == null ? (int) declared : 1024);
      response.handler(chunk -> {
        if (done) {
          return;
        }
        if (exchange != null) {
          exchange.wireBodyBytes += chunk.length();
        }
        if (decoding == null) {
          append(chunk);
          return;
        }
        try {
          decoding.decode(chunk, this::append);
        } catch (ContentDecoding.TooLarge e) {
          fail(tooLarge(null));
        } catch (FetchException e) {
          fail(e);
        }
      });
      response.endHandler(v -> {
        if (done) {
          return;
        }
        if (decoding == null) {
          succeed(new FetchResponse(response.statusCode(), response.headers(), body));
          return;
        }
        try {
          decoding.finish(this::append);
        } catch (FetchException e) {
          fail(e);
          return;
        }
        decoding = null;
        if (!done) {
          succeed(new FetchResponse(response.statusCode(), decodedHeaders(response.headers()), body));
        }
      });
    }

    /** One piece of the (decoded) body: counted against the source's and the aggregation's bounds. */
    private void append(Buffer piece) {
      if (done) {
        return;
      }
      int n = piece.length();
      if (held + n > context.maxBodyBytes()) {
        fail(tooLarge(null));
        return;
      }
      if (!context.budget().take(n)) {
        fail(tooLarge(context.budget().refusal()));
        return;
      }
      held += n;
      body.appendBuffer(piece);
    }

    /** The headers of a decoded body: it has no encoding any more, and another length. */
    private MultiMap decodedHeaders(MultiMap headers) {
      MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(headers);
      copy.remove(HttpHeaderNames.CONTENT_ENCODING);
      copy.set(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length()));
      return copy;
    }

    /** The declared body length, or -1 when absent or unreadable. */
    private long declaredLength(String header) {
      if (header == null) {
        return -1;
      }
      try {
        return Long.parseLong(header.trim());
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    /** @param budgetRefusal why the byte budget refused, or null when the body passed source.maxBodyBytes */
    private FetchException tooLarge(String budgetRefusal) {
      return new FetchException(ErrorKind.TOO_LARGE, budgetRefusal != null
          ? "the response body does not fit: " + budgetRefusal
          : "response body exceeds " + context.maxBodyBytes() + " bytes (source.maxBodyBytes)");
    }

    private void succeed(FetchResponse response) {
      if (exchange != null) {
        exchange.contentBytes = held;
        exchange.responseBody = context.exchanges().bodies() ? body : null;
      }
      if (finish()) {
        span.end();
        promise.complete(response);
      }
    }

    private void fail(Throwable cause) {
      if (!finish()) {
        return;
      }
      if (clientRequest != null) {
        clientRequest.reset();
      }
      if (exchange != null) {
        exchange.contentBytes = held;
      }
      if (decoding != null) {
        decoding.close();
        decoding = null;
      }
      if (held > 0) {
        context.budget().giveBack(held);
        held = 0;
        body = null;
      }
      span.error(FetchException.kindOf(cause).wireName(), cause.getMessage());
      span.end();
      promise.fail(status > 0 && cause instanceof FetchException fe ? fe.withStatus(status) : cause);
    }

    private boolean finish() {
      if (done) {
        return false;
      }
      done = true;
      context.timings().leave();
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      if (unhookCancel != null) {
        unhookCancel.run();
      }
      if (span.recording()) {
        if (status > 0) {
          span.attribute("http.response.status_code", status);
        }
        span.attribute("fanin.pacing.wait_ms", context.originWaitMs());
      }
      return true;
    }
  }
}
