package dev.fanin.http;

import dev.fanin.config.FaninConfig;
import dev.fanin.feeds.FeedClient;
import dev.fanin.security.ApiKeys;
import dev.fanin.security.RateLimiter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Authenticates /v1 requests by API key (Authorization: Bearer), checks the scope the route needs
 * (feeds:admin holds both feeds scopes) and the key's request rate, and says which client a request
 * comes from for the feed registry's owners and budgets. With no keys configured it lets everything
 * through: fanin then listens on loopback only (see Main).
 */
final class AccessControl implements Handler<RoutingContext> {
  static final String KEY_ID = "fanin.keyId";
  static final String ADMIN = "feeds:admin";
  /**
   * The paths that run an aggregation: /v1/aggregate, /v1/feeds/{name}/aggregate and the feed's
   * timeline as a feed (feed.atom, feed.json, feed.rss), which runs it unless a scheduled run answers.
   */
  private static final Pattern RUN = Pattern.compile(
      "/v1/aggregate|/v1/feeds/[^/]+/(aggregate|feed\\.atom|feed\\.json|feed\\.rss)");
  private final ApiKeys keys;
  private final RateLimiter rates;

  AccessControl(ApiKeys keys, RateLimiter rates) {
    this.keys = keys;
    this.rates = rates;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (keys.isEmpty()) {
      ctx.next();
      return;
    }
    String scope = requiredScope(ctx.request().method(), ctx.normalizedPath());
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"fanin\"");
      throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized",
          "send an API key as Authorization: Bearer <key>"));
    }
    FaninConfig.ApiKey key = keys.match(header.substring(7).trim());
    if (key == null) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"fanin\", error=\"invalid_token\"");
      throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", "the API key is not valid"));
    }
    if (!allows(key, scope)) {
      throw new ProblemException(Problem.of(403, "forbidden", "Forbidden",
          "API key " + key.id() + " lacks the scope " + scope));
    }
    long waitMs = rates.acquire(key.id());
    if (waitMs > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, (waitMs + 999) / 1000)));
      throw new ProblemException(Problem.of(429, "too-many-requests", "Too many requests",
          "API key " + key.id() + " is over its rate of requests per second"));
    }
    ctx.put(KEY_ID, key.id());
    ctx.next();
  }

  /** Whether a key has a scope; feeds:admin holds feeds:read and feeds:write. */
  static boolean allows(FaninConfig.ApiKey key, String scope) {
    return key.scopes().contains(scope) || (scope.startsWith("feeds:") && key.scopes().contains(ADMIN));
  }

  /**
   * The client a request comes from, as the feed registry knows clients: its API key, or, when no
   * keys are configured, its address (the peer's: behind a proxy every anonymous client is the proxy).
   */
  static FeedClient client(RoutingContext ctx) {
    String keyId = ctx.get(KEY_ID);
    if (keyId != null) {
      return FeedClient.key(keyId);
    }
    SocketAddress peer = ctx.request().remoteAddress();
    String address = peer == null ? null : peer.hostAddress();
    return FeedClient.anonymous(address == null || address.isEmpty() ? "unknown" : address);
  }

  /**
   * aggregate for running aggregations, feeds:write for changes, feeds:read for the rest. The path
   * is judged as the router matches it: dot segments resolved, and empty segments and a trailing
   * slash ignored, so that /v1/feeds/x/aggregate/ is a run; and only a run is one, so that
   * PUT /v1/feeds/aggregate (a feed named "aggregate") is a change.
   */
  static String requiredScope(HttpMethod method, String path) {
    String canonical = path.replaceAll("/{2,}", "/");
    if (canonical.length() > 1 && canonical.endsWith("/")) {
      canonical = canonical.substring(0, canonical.length() - 1);
    }
    if (canonical.equals("/v1/clients")) {
      return ADMIN; // every client's activity: for operators only
    }
    if (RUN.matcher(canonical).matches()) {
      return "aggregate";
    }
    if (method == HttpMethod.PUT || method == HttpMethod.DELETE || method == HttpMethod.POST
        || method == HttpMethod.PATCH) {
      return "feeds:write";
    }
    return "feeds:read";
  }
}
