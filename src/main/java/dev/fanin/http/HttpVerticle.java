package dev.fanin.http;

import dev.fanin.aggregate.Aggregator;
import dev.fanin.config.FaninConfig;
import dev.fanin.definition.DefinitionParser;
import dev.fanin.demo.DemoUpstream;
import dev.fanin.fetch.BreakerRegistry;
import dev.fanin.fetch.FetchPipeline;
import dev.fanin.fetch.HttpFetcher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * One HTTP intake on one event loop, with its own upstream client so that fetches stay on the
 * loop that serves the request. Breakers are shared by every instance.
 */
public final class HttpVerticle extends VerticleBase {
  private final FaninConfig config;
  private final BreakerRegistry breakers;
  private final int instances;
  private HttpClient client;
  private HttpServer server;

  public HttpVerticle(FaninConfig config, BreakerRegistry breakers, int instances) {
    this.config = config;
    this.breakers = breakers;
    this.instances = instances;
  }

  @Override
  public Future<?> start() {
    FaninConfig.Client c = config.client();
    client = vertx.createHttpClient(
        new HttpClientOptions()
            .setConnectTimeout(c.connectTimeoutMs())
            .setKeepAlive(true)
            .setKeepAliveTimeout(c.keepAliveSeconds())
            .setDecompressionSupported(true),
        new PoolOptions()
            .setHttp1MaxSize(ceilDiv(c.maxConnectionsPerOrigin(), instances))
            .setMaxWaitQueueSize(ceilDiv(c.maxWaitQueue(), instances)));
    Aggregator aggregator = new Aggregator(vertx,
        new FetchPipeline(vertx, new HttpFetcher(vertx, client, c.connectTimeoutMs()), breakers, config.retry()),
        config);
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port()));
    return server.requestHandler(router(aggregator)).listen();
  }

  private Router router(Aggregator aggregator) {
    Router router = Router.router(vertx);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(config.http().maxBodyBytes());
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    new AggregateRoute(aggregator, new DefinitionParser(config)).mount(router, body);
    if (config.demo().enabled()) {
      router.route("/demo/*").subRouter(DemoUpstream.router(vertx));
    }
    router.route().failureHandler(Problems.failureHandler());
    for (int status : new int[] {400, 404, 405, 406, 413, 415, 500}) {
      router.errorHandler(status, ctx -> Problems.send(ctx,
          Problems.toProblem(ctx.failure(), status)));
    }
    return router;
  }

  /** The port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
