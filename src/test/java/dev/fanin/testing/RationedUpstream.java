package dev.fanin.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An upstream that rations its callers the way public APIs do: a token bucket of {@code rate}
 * requests a second and {@code burst} at once; beyond it, depending on its mode, a 429 with
 * Retry-After ({@code retry-after}), the same plus the IETF RateLimit fields on every answer
 * ({@code headers}: {@code RateLimit-Policy: "default";q=R;w=1} and {@code RateLimit:
 * "default";r=<tokens left>;t=<seconds until full, rounded down>}), or a 200 whose JSON body has a
 * {@code Note} ({@code soft}, as Alpha Vantage does). A real HTTP server on loopback, used by the
 * tests and by bench/run (which runs a copy of this file as a single-file program). {@code GET
 * /__stats} tells what it answered (not counted); {@code ?delay=ms} answers after a timer.
 */
public final class RationedUpstream {
  private final Vertx vertx;
  private final double rate;
  private final double burst;
  private final String mode;
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong firstMs = new AtomicLong();
  private final AtomicLong lastMs = new AtomicLong();
  /** When the first 429s were answered, in ms after the first request (what a bench run looks into). */
  private final List<Long> throttledAtMs = new CopyOnWriteArrayList<>();
  private double tokens;
  private long last = System.nanoTime();
  private HttpServer server;

  public RationedUpstream(Vertx vertx, double rate, double burst, String mode) {
    if (!mode.equals("retry-after") && !mode.equals("headers") && !mode.equals("soft")) {
      throw new IllegalArgumentException("mode is retry-after, headers or soft, not " + mode);
    }
    this.vertx = vertx;
    this.rate = rate;
    this.burst = burst;
    this.mode = mode;
    this.tokens = burst;
  }

  public Future<RationedUpstream> listen(int port) {
    return vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1").map(s -> {
      server = s;
      return this;
    });
  }

  /** Starts on a free loopback port (tests). */
  public RationedUpstream start() {
    listen(0).await();
    return this;
  }

  public void stop() {
    if (server != null) {
      server.close().await();
    }
  }

  public int port() {
    return server.actualPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public long ok() {
    return ok.get();
  }

  public long throttled() {
    return throttled.get();
  }

  /** What the bucket allows now: a token taken (true), or none left (false); and the fields after it. */
  private synchronized boolean take(double[] after) {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
    last = now;
    boolean allowed = tokens >= 1;
    if (allowed) {
      tokens -= 1;
    }
    after[0] = tokens;
    return allowed;
  }

  private void handle(HttpServerRequest request) {
    if (request.path().equals("/__stats")) {
      request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
          .put("ok", ok.get()).put("throttled", throttled.get())
          .put("firstMs", firstMs.get()).put("lastMs", lastMs.get())
          .put("throttledAtMs", new JsonArray(List.copyOf(throttledAtMs))).encode());
      return;
    }
    double[] left = new double[1];
    boolean allowed = take(left);
    long nowMs = System.currentTimeMillis();
    firstMs.compareAndSet(0, nowMs);
    lastMs.set(nowMs);
    var response = request.response().putHeader("Content-Type", "application/json");
    if (mode.equals("headers")) {
      response.putHeader("RateLimit-Policy", "\"default\";q=" + Math.round(rate) + ";w=1");
      response.putHeader("RateLimit", "\"default\";r=" + (long) Math.floor(left[0]) + ";t="
          + (long) Math.floor((burst - left[0]) / rate));
    }
    String delay = request.getParam("delay");
    long delayMs = delay == null ? 0 : Long.parseLong(delay);
    Runnable answer;
    if (allowed) {
      ok.incrementAndGet();
      answer = () -> response.end(new JsonObject().put("ok", true).put("path", request.path()).encode());
    } else {
      throttled.incrementAndGet();
      if (throttledAtMs.size() < 20) {
        throttledAtMs.add(nowMs - firstMs.get());
      }
      if (mode.equals("soft")) {
        answer = () -> response.end(new JsonObject()
            .put("Note", "Thank you for using this API! Our standard API rate limit is exceeded.").encode());
      } else {
        long seconds = Math.max(1, (long) Math.ceil((1 - left[0]) / rate));
        answer = () -> response.setStatusCode(429).putHeader("Retry-After", Long.toString(seconds))
            .end(new JsonObject().put("error", "too many requests").encode());
      }
    }
    if (delayMs > 0) {
      vertx.setTimer(delayMs, t -> answer.run());
    } else {
      answer.run();
    }
  }

  /** bench/run: {@code java -cp fanin.jar RationedUpstream.java port rate burst mode}. */
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    double rate = Double.parseDouble(args[1]);
    double burst = Double.parseDouble(args[2]);
    String mode = args[3];
    Vertx vertx = Vertx.vertx();
    new RationedUpstream(vertx, rate, burst, mode).listen(port)
        .onSuccess(u -> {
          System.out.println("LISTENING " + port);
          System.out.flush();
        })
        .onFailure(t -> {
          System.err.println("rationed upstream failed to start: " + t);
          System.exit(1);
        });
  }
}
