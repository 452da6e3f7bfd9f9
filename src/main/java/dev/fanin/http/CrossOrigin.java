package dev.fanin.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CORS for browser apps at the origins of http.cors.allowOrigins, through Vert.x Web's CorsHandler:
 * preflights are answered here, and answers to allowed origins carry Access-Control-Allow-Origin and
 * the headers a client needs to read. A request from any other origin goes on without CORS headers,
 * exactly as with CORS off (the browser then keeps the answer from the page), rather than being
 * refused as CorsHandler alone would.
 *
 * <p>It never relaxes authentication: it runs before AccessControl so that 401, 403 and 429 carry
 * the CORS headers a page needs to read them, and only a preflight (which carries no credentials
 * and does nothing) is answered without an API key.
 */
final class CrossOrigin implements Handler<RoutingContext> {
  /** The request headers fanin's clients send. */
  static final List<String> REQUEST_HEADERS = List.of("Content-Type", "Authorization", "Accept", "X-Request-Id",
      "If-Match", "If-None-Match", "Last-Event-ID");
  /** The response headers a page needs to read, beyond the few every browser exposes. */
  static final List<String> EXPOSED_HEADERS = List.of("ETag", "Location", "Retry-After", "X-Request-Id",
      "Server-Timing", "WWW-Authenticate");
  /** How long a browser may reuse a preflight's answer (browsers cap it at 2 hours or less). */
  static final int PREFLIGHT_MAX_AGE_SECONDS = 600;
  /** An origin as browsers serialise it: what CorsHandler takes for valid when any origin is allowed. */
  private static final Pattern ORIGIN = Pattern.compile("https?://([a-z0-9.-]+|\\[[0-9a-f:.]+\\])(:[0-9]{1,5})?");

  private final boolean anyOrigin;
  private final Set<String> origins;
  private final CorsHandler cors;

  private CrossOrigin(List<String> allowOrigins) {
    this.anyOrigin = allowOrigins.contains("*");
    this.origins = Set.copyOf(allowOrigins);
    this.cors = CorsHandler.create()
        .allowedHeaders(new LinkedHashSet<>(REQUEST_HEADERS))
        .exposedHeaders(new LinkedHashSet<>(EXPOSED_HEADERS))
        .maxAgeSeconds(PREFLIGHT_MAX_AGE_SECONDS);
    if (!anyOrigin) {
      // no origin added means any origin to CorsHandler
      cors.addOrigins(allowOrigins);
    }
  }

  /** The handler for these origins (as validated by the config), or null when there are none: no CORS. */
  static CrossOrigin of(List<String> allowOrigins) {
    return allowOrigins.isEmpty() ? null : new CrossOrigin(allowOrigins);
  }

  /** The methods a preflight may be told are allowed: those some route serves. */
  CrossOrigin allowMethods(Set<HttpMethod> methods) {
    cors.allowedMethods(methods);
    return this;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin == null || allows(origin)) {
      cors.handle(ctx);
    } else {
      // the answer to an allowed origin differs, so caches must keep them apart
      ctx.response().headers().add("Vary", "Origin");
      ctx.next();
    }
  }

  /** Compared as browsers send Origin (lower case, no default port), the form the config keeps. */
  private boolean allows(String origin) {
    return anyOrigin ? ORIGIN.matcher(origin).matches() : origins.contains(origin);
  }
}
