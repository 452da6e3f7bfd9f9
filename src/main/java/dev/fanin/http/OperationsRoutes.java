package dev.fanin.http;

import dev.fanin.config.FaninConfig;
import dev.fanin.fetch.ClientSnapshot;
import dev.fanin.fetch.OriginGates;
import dev.fanin.fetch.OriginSnapshot;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What operators look at: health, readiness, metrics, circuit breakers, origins and the cluster; and
 * the API's contract, /openapi.json.
 */
final class OperationsRoutes {
  private final Vertx vertx;
  private final IntakeParts services;
  private final FaninConfig config;

  OperationsRoutes(Vertx vertx, IntakeParts services, FaninConfig config) {
    this.vertx = vertx;
    this.services = services;
    this.config = config;
  }

  void mount(Router router) {
    HealthChecks live = HealthChecks.create(vertx)
        .register("eventLoop", promise -> promise.complete(Status.OK()));
    HealthChecks ready = HealthChecks.create(vertx)
        .register("deployed", promise -> promise.complete(
            services.ready().get() ? Status.OK() : Status.KO(new JsonObject().put("reason", "starting"))))
        .register("dataDir", 2_000, promise -> dataDirWritable().onComplete(ar -> promise.complete(ar.succeeded()
            ? Status.OK()
            : Status.KO(new JsonObject().put("reason", "cannot write to " + feedsDir() + ": " + ar.cause().getMessage())))))
        .register("breakers", promise -> promise.complete(Status.OK(breakerStates())))
        .register("cluster", promise -> promise.complete(clusterStatus()));
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(services.metrics()));
    byte[] contract = OpenApiDocument.bytes(); // read at start, not on a request
    router.get("/openapi.json").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(contract)));
    router.get("/v1/circuits").handler(this::circuits);
    router.get("/v1/cluster").handler(ctx -> ctx.json(clusterJson()));
    router.get("/v1/origins").handler(this::origins);
    router.get("/v1/clients").handler(this::clients);
  }

  /** Clients listed by GET /v1/clients at most (the busiest first). */
  static final int LISTED_CLIENTS = 1000;

  private void clients(RoutingContext ctx) {
    JsonArray list = new JsonArray();
    for (ClientSnapshot c : services.clients().snapshot(LISTED_CLIENTS)) {
      FaninConfig.ClientBudget b = c.budget();
      list.add(new JsonObject()
          .put("client", c.client())
          .put("budget", b == null ? null : new JsonObject()
              .put("upstreamPerSecond", b.upstreamPerSecond()).put("upstreamBurst", b.upstreamBurst())
              .put("maxUpstreamInFlight", b.maxUpstreamInFlight()))
          .put("tokens", c.tokens() == -1 ? null : Math.floor(c.tokens() * 100) / 100)
          .put("inFlight", c.inFlight())
          .put("waiting", c.waiting())
          .put("sent", c.sent())
          .put("throttled", c.throttled())
          .put("refused", c.refused()));
    }
    ctx.json(new JsonObject().put("clients", list).put("total", services.clients().size()));
  }

  /** Origins listed by GET /v1/origins at most (the busiest first). */
  static final int LISTED_ORIGINS = 1000;

  private void origins(RoutingContext ctx) {
    OriginGates gates = services.origins();
    JsonArray list = new JsonArray();
    for (OriginSnapshot o : gates.snapshot(LISTED_ORIGINS)) {
      JsonObject rule = null;
      if (o.rule() != null) {
        FaninConfig.OriginRule r = o.rule();
        rule = new JsonObject().put("match", r.match());
        if (r.ratePerSecond() > 0) {
          rule.put("ratePerSecond", r.ratePerSecond()).put("burst", r.burst());
        }
        if (r.perDay() > 0) {
          rule.put("perDay", r.perDay()).put("usedToday", gates.budgets().usedToday(r));
        }
        if (r.maxConcurrency() > 0) {
          rule.put("maxConcurrency", r.maxConcurrency());
        }
        if (r.softLimitPointer() != null) {
          rule.put("softLimitPointer", r.softLimitPointer());
        }
        if (r.hedge() != null) {
          rule.put("hedge", r.hedge().toJson());
        }
      }
      list.add(new JsonObject()
          .put("origin", o.origin())
          .put("rule", rule)
          .put("limit", o.limit())
          .put("inFlight", o.inFlight())
          .put("waiting", o.waiting())
          .put("tokens", o.tokens() < 0 ? null : Math.floor(o.tokens() * 100) / 100)
          .put("pausedUntil", o.pausedForMs() > 0 ? Instant.now().plusMillis(o.pausedForMs()).toString() : null)
          .put("throttled", o.throttles())
          .put("learnedRatePerSecond", o.learnedRate() > 0 ? Math.round(o.learnedRate() * 100) / 100.0 : null));
    }
    ctx.json(new JsonObject().put("origins", list).put("total", gates.size()));
  }

  /** Ready when not clustered, or while this node is an active member. */
  private Status clusterStatus() {
    if (!vertx.isClustered()) {
      return Status.OK(new JsonObject().put("clustered", false));
    }
    boolean active = services.cluster().active();
    JsonObject data = new JsonObject().put("node", services.cluster().nodeId())
        .put("members", services.cluster().members().size());
    return active ? Status.OK(data) : Status.KO(data.put("reason", "not a member of the cluster"));
  }

  /** This node, the members it sees and the scheduled feeds it polls. */
  private JsonObject clusterJson() {
    return new JsonObject()
        .put("clustered", vertx.isClustered())
        .put("node", services.cluster().nodeId())
        .put("members", new JsonArray(services.cluster().members().stream().sorted().toList()))
        .put("polling", new JsonArray(services.pollers().feeds()));
  }

  private Path feedsDir() {
    return Path.of(config.feeds().dataDir()).resolve("feeds");
  }

  /** Writes and removes a probe file the way feeds are written. */
  private Future<Void> dataDirWritable() {
    String probe = feedsDir().resolve(".ready-" + UUID.randomUUID() + ".tmp").toString();
    return vertx.fileSystem().writeFile(probe, Buffer.buffer("ok"))
        .compose(v -> vertx.fileSystem().delete(probe));
  }

  /** Breakers shown by readiness: counts, and the open and half-open ones (the first few by name). */
  static final int LISTED_BREAKERS = 20;

  private JsonObject breakerStates() {
    int open = 0;
    int halfOpen = 0;
    JsonObject listed = new JsonObject();
    Map<String, CircuitBreaker> all = services.breakers().snapshot();
    for (Map.Entry<String, CircuitBreaker> e : new TreeMap<>(all).entrySet()) {
      switch (e.getValue().state()) {
        case OPEN -> open++;
        case HALF_OPEN -> halfOpen++;
        default -> {
          continue;
        }
      }
      if (listed.size() < LISTED_BREAKERS) {
        listed.put(e.getKey(), e.getValue().state().name());
      }
    }
    return new JsonObject().put("origins", all.size()).put("open", open).put("halfOpen", halfOpen)
        .put("notClosed", listed);
  }

  private void circuits(RoutingContext ctx) {
    JsonArray list = new JsonArray();
    for (Map.Entry<String, CircuitBreaker> e : new TreeMap<>(services.breakers().snapshot()).entrySet()) {
      Long at = services.breakers().lastTransition(e.getKey());
      list.add(new JsonObject()
          .put("origin", e.getKey())
          .put("state", e.getValue().state().name())
          .put("failureCount", e.getValue().failureCount())
          .put("lastTransition", at == null ? null : Instant.ofEpochMilli(at).toString()));
    }
    ctx.json(new JsonObject().put("circuits", list));
  }
}
