package dev.fanin.http;

import dev.fanin.aggregate.OverloadedException;
import dev.fanin.definition.InvalidDefinitionException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns failures into problem+json answers (RFC 9457). */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  public static final String MEDIA_TYPE = "application/problem+json";

  private Problems() {}

  /** The problem for any failure: known ones keep their status, anything else is a 500. */
  public static Problem toProblem(Throwable failure, int statusCode) {
    if (failure instanceof ProblemException pe) {
      return pe.problem();
    }
    if (failure instanceof OverloadedException oe) {
      return Problem.of(503, "overloaded", "Service overloaded", oe.getMessage());
    }
    if (failure instanceof InvalidDefinitionException ide) {
      return new Problem(400, Problem.TYPE_BASE + "invalid-request", "Invalid request",
          ide.getMessage(), ide.errors());
    }
    if (failure instanceof ReplyException re) {
      return fromReply(re);
    }
    int status = failure instanceof HttpException he ? he.getStatusCode() : statusCode;
    return switch (status) {
      case 400 -> Problem.of(400, "bad-request", "Bad request", "The request could not be read.");
      case 404 -> Problem.of(404, "not-found", "Not found", "No resource at this path.");
      case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed",
          "This path does not accept that method.");
      case 413 -> Problem.of(413, "body-too-large", "Request body too large",
          "The request body exceeds the configured limit (http.maxBodyBytes).");
      case 431 -> Problem.of(431, "headers-too-large", "Request header fields too large",
          "The request's headers exceed the configured limits (http.maxHeaderBytes, http.maxHeaders).");
      case 415 -> Problem.of(415, "unsupported-media-type", "Unsupported media type",
          "The request body must be application/json.");
      default -> {
        if (status < 500 && status >= 400) {
          yield Problem.of(status, "client-error", "Client error", "The request was refused.");
        }
        if (failure != null) {
          LOG.error("unexpected failure", failure);
        }
        yield Problem.of(500, "internal", "Internal error",
            "fanin failed to handle the request; the failure was logged.");
      }
    };
  }

  /** Registry answers carry the HTTP status as their failure code and the detail as message. */
  private static Problem fromReply(ReplyException re) {
    if (re.failureType() != ReplyFailure.RECIPIENT_FAILURE || re.failureCode() < 400 || re.failureCode() > 599) {
      return Problem.of(503, "unavailable", "Service unavailable",
          "an internal service did not answer: " + re.getMessage());
    }
    int code = re.failureCode();
    return switch (code) {
      case 400 -> Problem.of(400, "invalid-request", "Invalid request", re.getMessage());
      case 403 -> Problem.of(403, "forbidden", "Forbidden", re.getMessage());
      case 404 -> Problem.of(404, "not-found", "Not found", re.getMessage());
      case 409 -> Problem.of(409, "conflict", "Conflict", re.getMessage());
      case 412 -> Problem.of(412, "precondition-failed", "Precondition failed", re.getMessage());
      // only the feed registry answers the HTTP intake over the bus, and its 429 is this one
      case 429 -> Problem.of(429, "scheduled-budget", "Scheduled-feed budget exceeded", re.getMessage());
      default -> Problem.of(code, code >= 500 ? "upstream-failure" : "client-error",
          code >= 500 ? "Aggregation failed" : "Client error", re.getMessage());
    };
  }

  /** A Router failure handler that answers every failure as problem+json. */
  public static Handler<RoutingContext> failureHandler() {
    return ctx -> send(ctx, toProblem(ctx.failure(), ctx.statusCode() < 0 ? 500 : ctx.statusCode()));
  }

  /**
   * The problem for a request Netty could not decode, so that no route ever saw it: a request line
   * too long (414), a head too large (431), or anything else garbled (400).
   */
  static Problem undecodable(Throwable cause, int maxRequestLineBytes, int maxHeaderBytes) {
    if (cause instanceof TooLongHttpLineException) {
      return Problem.of(414, "uri-too-long", "URI too long",
          "The request line (method, path with query, version) is longer than " + maxRequestLineBytes
              + " bytes, the most fanin reads; send long parameters in a request body.");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return Problem.of(431, "headers-too-large", "Request header fields too large",
          "The request's header fields are larger than " + maxHeaderBytes + " bytes (http.maxHeaderBytes).");
    }
    return Problem.of(400, "bad-request", "Bad request", "The request is not valid HTTP/1.1 and could not be read.");
  }

  /** A 405 that says which methods the path does accept (the same list as the Allow header). */
  static Problem methodNotAllowed(HttpMethod method, List<HttpMethod> allowed) {
    return Problem.of(405, "method-not-allowed", "Method not allowed", "This path does not accept "
        + method.name() + (allowed.isEmpty() ? "." : "; it accepts " + RouteMethods.header(allowed) + "."));
  }

  public static void send(RoutingContext ctx, Problem problem) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    send(ctx.response(), problem, ctx.request().path());
  }

  /** Sends a problem on a response whose head is not written yet; instance may be null. */
  static Future<Void> send(HttpServerResponse response, Problem problem, String instance) {
    JsonObject body = problem.toJson();
    if (instance != null) {
      body.put("instance", instance);
    }
    if (problem.status() == 503 && response.headers().get("Retry-After") == null) {
      response.putHeader("Retry-After", "1");
    }
    return response
        .setStatusCode(problem.status())
        .putHeader("Content-Type", MEDIA_TYPE)
        .end(body.toBuffer());
  }
}
