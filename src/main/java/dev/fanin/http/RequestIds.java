package dev.fanin.http;

import dev.fanin.aggregate.RunInfo;
import io.vertx.ext.web.RoutingContext;

/** Gives every request an id (the client's X-Request-Id, or a new one) and echoes it back. */
final class RequestIds {
  static final String HEADER = "X-Request-Id";
  private static final String KEY = "fanin.requestId";

  private RequestIds() {}

  /** The first handler of every route. */
  static void assign(RoutingContext ctx) {
    String id = RunInfo.requestId(ctx.request().getHeader(HEADER));
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  static RunInfo of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return new RunInfo(id != null ? id : RunInfo.requestId(null), null);
  }
}
