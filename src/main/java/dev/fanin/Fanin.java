package dev.fanin;

import dev.fanin.config.FaninConfig;
import dev.fanin.fetch.BreakerRegistry;
import dev.fanin.http.HttpVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicReference;

/** Deploys a fanin service on a Vert.x instance: the shared parts once, the intake per core. */
public final class Fanin {
  private final Vertx vertx;
  private final FaninConfig config;
  private final BreakerRegistry breakers;
  private String deploymentId;
  private int port;

  public Fanin(Vertx vertx, FaninConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.breakers = new BreakerRegistry(vertx, config.breaker());
  }

  /** Number of intake verticles: http.instances, or one per core when 0. */
  public int instances() {
    int configured = config.http().instances();
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  /** Starts listening; completes once every instance is ready. */
  public Future<Fanin> start() {
    int n = instances();
    AtomicReference<HttpVerticle> first = new AtomicReference<>();
    return vertx.deployVerticle(() -> {
          HttpVerticle v = new HttpVerticle(config, breakers, n);
          first.compareAndSet(null, v);
          return v;
        }, new DeploymentOptions().setInstances(n))
        .map(id -> {
          deploymentId = id;
          port = first.get().actualPort();
          return this;
        });
  }

  public Future<Void> stop() {
    return deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
  }

  /** The port the service listens on. */
  public int port() {
    return port;
  }

  public BreakerRegistry breakers() {
    return breakers;
  }

  public FaninConfig config() {
    return config;
  }
}
