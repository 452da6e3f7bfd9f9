package dev.fanin.fetch;

import io.netty.handler.codec.DecoderException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.net.UnknownHostException;

/** How a broken HTTP exchange is told: its error kind, and whether it speaks to the origin's health. */
final class TransportFailures {
  private TransportFailures() {}

  /** The failure an HTTP exchange that broke (no usable response) ends with. */
  static FetchException of(Throwable t) {
    if (t instanceof FetchException fe) {
      return fe;
    }
    if (t instanceof ConnectionPoolTooBusyException) {
      return new FetchException(ErrorKind.REJECTED, "too many requests queued for this origin");
    }
    if (t instanceof UnknownHostException) {
      return new FetchException(ErrorKind.CONNECT, "unknown host: " + t.getMessage());
    }
    if (t instanceof ConnectException) {
      return new FetchException(ErrorKind.CONNECT, "connection refused or unreachable: " + describe(t));
    }
    if (isProtocolError(t)) {
      return FetchException.notJudging(ErrorKind.INVALID_RESPONSE, "the upstream's answer is not valid HTTP: " + describe(t));
    }
    return new FetchException(ErrorKind.CONNECT, describe(t));
  }

  /**
   * Whether a failure is the answer breaking HTTP (a head over the client's limits, an unreadable
   * status line), which says nothing about the origin's health.
   */
  static boolean isProtocolError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof DecoderException) {
        return true;
      }
    }
    return false;
  }

  static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }
}
