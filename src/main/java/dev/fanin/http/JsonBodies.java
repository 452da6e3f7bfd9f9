package dev.fanin.http;

import io.netty.handler.codec.http.HttpUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a request body must be declared as: JSON (application/json or application/*+json) in UTF-8,
 * the only encoding JSON has (RFC 8259). Checked from the headers, so a wrong body is refused (415)
 * before it is read.
 */
final class JsonBodies {
  private JsonBodies() {}

  /** A JSON body is required: its Content-Type must say JSON. */
  static void checkDeclared(HttpServerRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (contentType == null) {
      throw unsupported("The request body must be application/json; no Content-Type was sent");
    }
    checkJson(contentType);
  }

  /**
   * The body may be left out: a request without Content-Type passes when it declares no body
   * (no Content-Length or 0). A chunked one is read and checked by {@link #checkReadBody}.
   */
  static void checkDeclaredIfAny(HttpServerRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (contentType != null) {
      checkJson(contentType);
    } else if (declaresBodyBytes(request)) {
      throw unsupported("A request body must be application/json; no Content-Type was sent");
    }
  }

  /** After reading an optional body: bytes without a Content-Type are not taken for JSON. */
  static void checkReadBody(HttpServerRequest request, Buffer body) {
    if (request.getHeader("Content-Type") == null && body != null && body.length() > 0) {
      throw unsupported("A request body must be application/json; no Content-Type was sent");
    }
  }

  private static boolean declaresBodyBytes(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    return length != null && !length.trim().equals("0");
  }

  private static void checkJson(String contentType) {
    CharSequence mime = HttpUtil.getMimeType(contentType);
    String type = (mime == null ? contentType : mime.toString()).trim().toLowerCase(Locale.ROOT);
    if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
      throw unsupported("The request body must be application/json, not " + contentType);
    }
    CharSequence declared = HttpUtil.getCharsetAsSequence(contentType);
    if (declared != null) {
      String charset = unquote(declared.toString().trim());
      if (!isUtf8(charset)) {
        throw unsupported("The request body must be JSON in UTF-8 (RFC 8259); charset " + charset
            + " is not accepted");
      }
    }
  }

  /** UTF-8 under any of its names, or US-ASCII, which is a subset of it. */
  private static boolean isUtf8(String name) {
    try {
      Charset charset = Charset.forName(name);
      return charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1) : value;
  }

  private static ProblemException unsupported(String detail) {
    return new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type", detail));
  }
}
