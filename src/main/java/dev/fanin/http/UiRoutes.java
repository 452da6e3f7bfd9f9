package dev.fanin.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Map;

/**
 * The live page: GET / answers ui/index.html and /ui/* the page's files, from the classpath folder
 * ui. They are public (no API key: AccessControl guards /v1 only); the API calls the page makes
 * carry the key the person types in. Every answer carries a strict Content-Security-Policy: the page
 * loads nothing but its own files and talks to nothing but this origin, and runs no inline script.
 */
final class UiRoutes {
  /** Nothing but this origin; no inline script or style, no framing, no plugins. */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /** The page's own file types, for a HEAD (a GET gets them from StaticHandler). */
  private static final Map<String, String> TYPES = Map.of("", "text/html;charset=UTF-8",
      "html", "text/html;charset=UTF-8", "js", "text/javascript;charset=UTF-8", "css", "text/css;charset=UTF-8");

  private UiRoutes() {}

  private static String extension(String path) {
    if (path.endsWith("/")) {
      return "";
    }
    int dot = path.lastIndexOf('.');
    return dot < path.lastIndexOf('/') ? "-" : path.substring(dot + 1);
  }

  static void mount(Router router) {
    Handler<RoutingContext> headers = ctx -> {
      HttpServerResponse response = ctx.response()
          .putHeader("Content-Security-Policy", CSP)
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "no-referrer");
      ctx.addHeadersEndHandler(v -> {
        if (response.getStatusCode() == 200 || response.getStatusCode() == 304) {
          // no hashed file names (no build step), so browsers revalidate every time (Last-Modified
          // makes that a cheap 304), and a new fanin never runs an old app.js against a new page
          response.headers().set("Cache-Control", "no-cache");
          // StaticHandler names the type only when it sends the body; a HEAD says it too
          if (!response.headers().contains("Content-Type")) {
            String type = TYPES.get(extension(ctx.normalizedPath()));
            if (type != null) {
              response.putHeader("Content-Type", type);
            }
          }
        }
      });
      ctx.next();
    };
    StaticHandler files = StaticHandler.create("ui")
        .setCachingEnabled(true)
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setIndexPage("index.html");
    // "/" is the folder itself to StaticHandler: it answers the index page, HEAD included
    router.get("/").handler(headers).handler(files);
    router.get("/ui/*").handler(headers).handler(files);
  }
}
