package dev.fanin.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The methods fanin serves, read from the router's own routes so that it stays true as routes are
 * added: HEAD wherever GET is served, the Allow header of a 405, and the methods CORS allows.
 */
final class RouteMethods {
  private static final List<HttpMethod> ORDER = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
      HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);
  private static final Comparator<HttpMethod> IN_ORDER = Comparator
      .comparingInt((HttpMethod m) -> ORDER.contains(m) ? ORDER.indexOf(m) : ORDER.size())
      .thenComparing(HttpMethod::name);

  private RouteMethods() {}

  /**
   * Lets every route that serves GET serve HEAD too. A handler that answers with one end(body) need
   * not know: Vert.x core sends the status and headers and drops the body. Core does send what is
   * written after an explicit writeHead(), so the streaming handlers answer a HEAD with their head
   * alone (see FeedRoutes#events and AggregateRoute#run).
   */
  static void serveHeadWhereGetIs(Router router) {
    for (Route route : router.getRoutes()) {
      if (route.methods() != null && route.methods().contains(HttpMethod.GET)) {
        route.method(HttpMethod.HEAD);
      }
    }
  }

  /** The methods some route serves at this (normalised) path, in a stable order. */
  static List<HttpMethod> allowedAt(Router router, String path) {
    Set<HttpMethod> allowed = new TreeSet<>(IN_ORDER);
    for (Route route : router.getRoutes()) {
      if (route.methods() != null && !route.methods().isEmpty() && matches(route, path)) {
        allowed.addAll(route.methods());
      }
    }
    return List.copyOf(allowed);
  }

  /** Every method some route serves, in a stable order. */
  static Set<HttpMethod> served(Router router) {
    Set<HttpMethod> served = new TreeSet<>(IN_ORDER);
    for (Route route : router.getRoutes()) {
      if (route.methods() != null) {
        served.addAll(route.methods());
      }
    }
    return new LinkedHashSet<>(served);
  }

  /** "GET, HEAD": the value of an Allow header. */
  static String header(List<HttpMethod> methods) {
    return methods.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
  }

  /**
   * Whether a route's path covers this path, the way Vert.x Web matches it: ":param" stands for one
   * segment, a path given with a trailing "*" is a prefix, and an exact path may end with a slash.
   * A route given only as a regular expression is not recognised (fanin has none).
   */
  private static boolean matches(Route route, String path) {
    String template = route.getPath();
    if (template == null) {
      return false;
    }
    List<String> parts = new ArrayList<>();
    for (String segment : template.split("/", -1)) {
      parts.add(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
    }
    String regex = String.join("/", parts) + (route.isExactPath() ? "/?" : ".*");
    return Pattern.matches(regex, path);
  }
}
