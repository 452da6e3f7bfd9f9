package dev.fanin.http;

import dev.fanin.policy.LoopMark;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Refuses, on every route, a request that carries this process's own Via mark: a source that
 * leads back to fanin (directly, or through other fanins) gets 508 and nothing is served.
 */
final class LoopDetection implements Handler<RoutingContext> {
  private final LoopMark mark;

  LoopDetection(LoopMark mark) {
    this.mark = mark;
  }

  @Override
  public void handle(RoutingContext ctx) {
    List<String> via = ctx.request().headers().getAll("Via");
    String refused = via.isEmpty() ? null : mark.refusal(via);
    if (refused != null) {
      throw new ProblemException(Problem.of(508, "loop-detected", "Loop detected", refused));
    }
    ctx.next();
  }
}
