package dev.fanin.http;

import dev.fanin.write.StreamFormat;
import io.vertx.ext.web.MIMEHeader;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import dev.fanin.definition.FieldError;

/** Chooses the response format from ?stream= (which wins) or the Accept header. */
final class Negotiation {
  private Negotiation() {}

  /** ?bodies=true: a HAR answer carries the bodies too (other formats leave the parameter alone). */
  static boolean bodies(RoutingContext ctx, StreamFormat format) {
    String bodies = format == StreamFormat.HAR ? ctx.request().getParam("bodies") : null;
    if (bodies == null || bodies.equals("false")) {
      return false;
    }
    if (bodies.equals("true")) {
      return true;
    }
    throw new ProblemException(new Problem(400, Problem.TYPE_BASE + "invalid-request", "Invalid request",
        "bodies must be true or false", List.of(new FieldError("/query/bodies", "must be true or false"))));
  }

  static StreamFormat choose(RoutingContext ctx) {
    String stream = ctx.request().getParam("stream");
    if (stream != null) {
      return switch (stream.toLowerCase(Locale.ROOT)) {
        case "json" -> StreamFormat.JSON;
        case "ndjson" -> StreamFormat.NDJSON;
        case "sse" -> StreamFormat.SSE;
        default -> throw new ProblemException(new Problem(400, Problem.TYPE_BASE + "invalid-request",
            "Invalid request", "stream must be json, ndjson or sse",
            List.of(new FieldError("/query/stream", "must be json, ndjson or sse"))));
      };
    }
    List<MIMEHeader> accepts = ctx.parsedHeaders().accept();
    if (accepts.isEmpty()) {
      return StreamFormat.JSON;
    }
    for (MIMEHeader accept : accepts) {
      if (isZeroQuality(accept)) {
        continue;
      }
      String component = accept.component();
      String sub = accept.subComponent();
      if (component.equals("application") && sub.equals("har+json")) {
        return StreamFormat.HAR; // only when asked for by name: */* stays JSON
      }
      if (component.equals("*") || (component.equals("application") && (sub.equals("*") || sub.equals("json")))) {
        return StreamFormat.JSON;
      }
      if (component.equals("application") && sub.equals("x-ndjson")) {
        return StreamFormat.NDJSON;
      }
      if (component.equals("text") && (sub.equals("event-stream") || sub.equals("*"))) {
        return StreamFormat.SSE;
      }
    }
    throw new ProblemException(Problem.of(406, "not-acceptable", "Not acceptable",
        "fanin answers application/json, application/x-ndjson, text/event-stream or application/har+json"));
  }

  private static boolean isZeroQuality(MIMEHeader accept) {
    String q = accept.parameter("q");
    if (q == null) {
      return false;
    }
    try {
      return Double.parseDouble(q) <= 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
