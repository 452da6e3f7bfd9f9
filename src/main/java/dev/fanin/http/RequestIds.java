package dev.fanin.http;

import dev.fanin.aggregate.RunInfo;
import dev.fanin.fetch.ClientBudgets;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import io.vertx.core.Handler;

/** Gives every request an id (the client's X-Request-Id, or a new one) and echoes it back. */
final class RequestIds {
  static final String HEADER = "X-Request-Id";
  private static final String KEY = "fanin.requestId";

  private RequestIds() {}

  /** The first handler of every route; also refuses requests with more than maxHeaders headers. */
  static Handler<RoutingContext> handler(int maxHeaders) {
    return ctx -> assign(ctx, maxHeaders);
  }

  private static void assign(RoutingContext ctx, int maxHeaders) {
    if (ctx.request().headers().size() > maxHeaders) {
      ctx.response().putHeader(HEADER, RunInfo.requestId(null));
      throw new ProblemException(Problem.of(431, "headers-too-large", "Request header fields too large",
          "the request has " + ctx.request().headers().size() + " headers; at most " + maxHeaders
              + " are allowed (http.maxHeaders)"));
    }
    String id = RunInfo.requestId(ctx.request().getHeader(HEADER));
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  static RunInfo of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    List<String> via = ctx.request().headers().getAll("Via");
    String key = ctx.get(AccessControl.KEY_ID);
    return new RunInfo(id != null ? id : RunInfo.requestId(null), null, via.isEmpty() ? null : String.join(", ", via),
        key, key != null ? ClientBudgets.forKey(key) : ClientBudgets.forAddress(clientAddress(ctx)));
  }

  /** The anonymous client's address (its connection's peer: a proxy in front of fanin is one client). */
  static String clientAddress(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }
}
