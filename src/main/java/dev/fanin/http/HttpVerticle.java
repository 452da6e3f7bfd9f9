package dev.fanin.http;

import dev.fanin.aggregate.Aggregator;
import dev.fanin.aggregate.RunInfo;
import dev.fanin.config.FaninConfig;
import dev.fanin.definition.DefinitionParser;
import dev.fanin.bus.BusIntake;
import dev.fanin.feeds.FeedDefinitionParser;
import dev.fanin.feeds.FeedRuns;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP intake on one event loop, with its own upstream client so that fetches stay on the
 * loop that serves the request. Breakers are shared by every instance.
 */
public final class HttpVerticle extends VerticleBase {
  /** The longest request line (method, path with query, version) read; Vert.x's default. */
  static final int MAX_REQUEST_LINE_BYTES = HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH;
  private final FaninConfig config;
  private final IntakeParts parts;
  private Aggregator aggregator;
  private HttpServer server;
  private FeedEvents events;
  private Router router;
  /** Connections still waiting for their first request; confined to this verticle's event loop. */
  private final Set<HttpConnection> awaitingFirstRequest = new HashSet<>();

  public HttpVerticle(FaninConfig config, IntakeParts parts) {
    this.config = config;
    this.parts = parts;
  }

  @Override
  public Future<?> start() {
    aggregator = parts.aggregators().create(vertx, true);
    DefinitionParser definitions = new DefinitionParser(parts.live());
    FeedDefinitionParser feedParser = new FeedDefinitionParser(definitions, config.feeds());
    FeedRuns feedRuns = new FeedRuns(vertx.eventBus(), feedParser);
    BusIntake busIntake = new BusIntake(vertx.eventBus(), aggregator, definitions, feedRuns,
        parts.cluster().nodeId());
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setMaxHeaderSize(config.http().maxHeaderBytes())
        .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
        // HTTP/1.1 only: no cleartext HTTP/2 upgrade, which graceful shutdown and proxies handle worse
        .setHttp2ClearTextEnabled(false)
        .setIdleTimeout(config.http().idleTimeoutSeconds()));
    router = router(aggregator, definitions, feedParser, feedRuns);
    return server.connectionHandler(this::firstRequestDeadline)
        .invalidRequestHandler(this::refuseUndecodable)
        .requestHandler(request -> {
          awaitingFirstRequest.remove(request.connection());
          router.handle(request);
        })
        .listen()
        .recover(failure -> Future.failedFuture(
            new ListenException(config.http().host(), config.http().port(), failure)))
        // the bus intake opens only once the port is bound: a process that cannot listen aggregates nothing
        .compose(bound -> busIntake.register().completion());
  }

  private Router router(Aggregator aggregator, DefinitionParser definitions, FeedDefinitionParser feedParser,
      FeedRuns feedRuns) {
    Router router = Router.router(vertx);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(config.http().maxBodyBytes());
    router.route().handler(RequestIds.handler(config.http().maxHeaders()));
    router.route().handler(new LoopDetection(parts.mark()));
    CrossOrigin crossOrigin = CrossOrigin.of(config.http().cors().allowOrigins());
    if (crossOrigin != null) {
      // before AccessControl: preflights need no key, and refusals must be readable by the page
      router.route().handler(crossOrigin);
    }
    router.route("/v1/*").handler(new AccessControl(parts.keys(), parts.rates()));
    new OperationsRoutes(vertx, parts, config).mount(router);
    AggregateRoute aggregate = new AggregateRoute(vertx, aggregator, definitions, () -> config.http().writeStallMs(),
        parts.clients(), () -> parts.live().get().cache().credentialHeaders());
    aggregate.mount(router, body);
    events = new FeedEvents(vertx, feedRuns, parts.hub(), () -> config.http().writeStallMs());
    new FeedRoutes(feedParser, feedRuns, aggregate, events).mount(router, body);
    new FeedDocuments(feedRuns, parts.hub(), aggregate).mount(router);
    UiRoutes.mount(router);
    RouteMethods.serveHeadWhereGetIs(router);
    if (crossOrigin != null) {
      crossOrigin.allowMethods(RouteMethods.served(router));
    }
    router.route().failureHandler(Problems.failureHandler());
    for (int status : new int[] {400, 404, 406, 409, 412, 413, 415, 431, 500}) {
      router.errorHandler(status, ctx -> Problems.send(ctx,
          Problems.toProblem(ctx.failure(), status)));
    }
    // Vert.x Web sets Allow only when it answers 405 itself, with an empty body
    router.errorHandler(405, ctx -> {
      List<HttpMethod> allowed = RouteMethods.allowedAt(router, ctx.normalizedPath());
      ctx.response().putHeader("Allow", RouteMethods.header(allowed));
      Problems.send(ctx, Problems.methodNotAllowed(ctx.request().method(), allowed));
    });
    return router;
  }

  /**
   * Answers a request Netty could not decode as problem+json (core's default handler sends an empty
   * body) and closes the connection as that handler does: whatever follows on it cannot be trusted
   * to start at a request boundary.
   */
  private void refuseUndecodable(HttpServerRequest request) {
    Problem problem = Problems.undecodable(request.decoderResult().cause(), MAX_REQUEST_LINE_BYTES,
        config.http().maxHeaderBytes());
    HttpServerResponse response = request.response()
        .putHeader(RequestIds.HEADER, RunInfo.requestId(null))
        .putHeader("Connection", "close");
    Problems.send(response, problem, null).onComplete(ar -> request.connection().close());
  }

  /**
   * Closes a connection whose first request head has not arrived within http.requestHeadTimeoutMs:
   * a client trickling its headers (slowloris) cannot hold a connection forever. Later idle periods
   * are bounded by http.idleTimeoutSeconds.
   */
  private void firstRequestDeadline(HttpConnection connection) {
    awaitingFirstRequest.add(connection);
    long timer = vertx.setTimer(config.http().requestHeadTimeoutMs(), t -> {
      if (awaitingFirstRequest.remove(connection)) {
        connection.close();
      }
    });
    connection.closeHandler(v -> {
      awaitingFirstRequest.remove(connection);
      vertx.cancelTimer(timer);
    });
  }

  /**
   * Stops accepting connections and lets requests in flight finish within the grace period. Feed
   * event streams never end by themselves, so they get a last event and end at once.
   */
  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    return events.close()
        .compose(v -> server.shutdown(config.http().shutdownGraceMs(), TimeUnit.MILLISECONDS))
        .andThen(v -> aggregator.close());
  }

  /** The routes this intake serves, as its router holds them (what /openapi.json must describe). */
  public List<Route> routes() {
    return List.copyOf(router.getRoutes());
  }

  /** The port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

}
