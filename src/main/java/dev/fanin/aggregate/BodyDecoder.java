package dev.fanin.aggregate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.FetchException;
import dev.fanin.json.JsonSyntax;
import io.netty.handler.codec.http.HttpUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.io.InputStream;

/**
 * Turns an upstream body into {@link SourceData}: JSON when the Content-Type says so (or, with no
 * Content-Type, when it parses as JSON), otherwise text in the declared charset.
 */
public final class BodyDecoder {
  private static final JsonFactory FACTORY = new JsonFactory();

  private BodyDecoder() {}

  /** Decodes a body; throws FetchException(invalid_body) when declared JSON does not parse. */
  public static SourceData decode(String contentType, Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    MediaType type = MediaType.parse(contentType);
    if (type == null) {
      body = stripBom(body);
      SourceData json = sniffJson(body);
      return json != null ? json : new SourceData.Text(body.toString(StandardCharsets.UTF_8));
    }
    if (type.isJson()) {
      return json(body, type.charset());
    }
    return new SourceData.Text(body.toString(type.charsetOr(StandardCharsets.UTF_8)));
  }

  /** The body as text in its declared charset (UTF-8 when none). */
  public static String text(String contentType, Buffer body) {
    MediaType type = MediaType.parse(contentType);
    return body.toString(type == null ? StandardCharsets.UTF_8 : type.charsetOr(StandardCharsets.UTF_8));
  }

  /** Like {@link #decode} but never fails: a broken JSON body becomes text (for error answers). */
  public static SourceData decodeLeniently(String contentType, Buffer body) {
    try {
      return decode(contentType, body);
    } catch (FetchException e) {
      return new SourceData.Text(body.toString(StandardCharsets.UTF_8));
    }
  }

  private static SourceData sniffJson(Buffer body) {
    int first = firstNonSpace(body);
    if (first != '{' && first != '[') {
      return null;
    }
    try {
      return json(body, null);
    } catch (FetchException e) {
      return null;
    }
  }

  private static SourceData json(Buffer body, Charset declared) {
    if (declared != null && !declared.equals(StandardCharsets.UTF_8)
        && !declared.equals(StandardCharsets.US_ASCII)) {
      return reencode(body.toString(declared));
    }
    Buffer utf8 = stripBom(body);
    if (utf8.length() >= 2 && (utf8.getByte(0) == 0 || utf8.getByte(1) == 0)) {
      return reencode(utf8);
    }
    validate(utf8);
    return new SourceData.Json(oneLine(utf8));
  }

  /**
   * The JSON on one line: line breaks between tokens become spaces (valid JSON has none inside a
   * string), so that a pretty-printed answer spliced into an NDJSON line or an SSE event cannot
   * break it. Copies only when there is a line break.
   */
  static Buffer oneLine(Buffer utf8) {
    int length = utf8.length();
    int i = 0;
    while (i < length) {
      byte b = utf8.getByte(i);
      if (b == '\n' || b == '\r') {
        break;
      }
      i++;
    }
    if (i == length) {
      return utf8;
    }
    byte[] bytes = utf8.getBytes();
    for (; i < bytes.length; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        bytes[i] = ' ';
      }
    }
    return Buffer.buffer(bytes);
  }

  /** Checks that the bytes are exactly one well-formed JSON value, forcing every string to decode. */
  private static void validate(Buffer utf8) {
    try (JsonParser parser = parser(utf8)) {
      if (parser.nextToken() == null) {
        throw invalid("empty JSON body");
      }
      int depth = 0;
      JsonToken token = parser.currentToken();
      while (true) {
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          depth++;
        } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          depth--;
        } else if (token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) {
          parser.getTextLength();
        }
        if (depth == 0) {
          break;
        }
        token = parser.nextToken();
        if (token == null) {
          throw invalid("truncated JSON body");
        }
      }
      if (parser.nextToken() != null) {
        throw invalid("trailing data after the JSON value");
      }
    } catch (IOException e) {
      throw invalid(JsonSyntax.describe("malformed JSON body", e, null));
    }
  }

  /** A parser reading the buffer through a small window, so that a large body is not copied whole. */
  private static JsonParser parser(Buffer utf8) throws IOException {
    return FACTORY.createParser(new BufferInputStream(utf8));
  }

  /** Reads a Vert.x buffer as a stream, piece by piece (Jackson reads it in its own chunks). */
  private static final class BufferInputStream extends InputStream {
    private final Buffer buffer;
    private int position;

    BufferInputStream(Buffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public int read() {
      return position < buffer.length() ? buffer.getByte(position++) & 0xff : -1;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
      int left = buffer.length() - position;
      if (left <= 0) {
        return length == 0 ? 0 : -1;
      }
      int n = Math.min(length, left);
      buffer.getBytes(position, position + n, into, offset);
      position += n;
      return n;
    }
  }

  private static SourceData reencode(Object text) {
    try {
      Object value = text instanceof Buffer b ? Json.decodeValue(b) : Json.decodeValue((String) text);
      return new SourceData.Json(Buffer.buffer(Json.encode(value)));
    } catch (RuntimeException e) {
      throw invalid(JsonSyntax.describe("malformed JSON body", e, null));
    }
  }

  private static Buffer stripBom(Buffer body) {
    if (body.length() >= 3 && (body.getByte(0) & 0xff) == 0xEF && (body.getByte(1) & 0xff) == 0xBB
        && (body.getByte(2) & 0xff) == 0xBF) {
      return body.slice(3, body.length());
    }
    return body;
  }

  private static int firstNonSpace(Buffer body) {
    int limit = Math.min(body.length(), 1024);
    for (int i = 0; i < limit; i++) {
      byte b = body.getByte(i);
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b;
      }
    }
    return -1;
  }

  private static FetchException invalid(String message) {
    return new FetchException(ErrorKind.INVALID_BODY, message);
  }

  /** The parts of a Content-Type header that matter here (read with Netty's HttpUtil). */
  record MediaType(String type, Charset charset) {
    static MediaType parse(String header) {
      CharSequence type = header == null ? null : HttpUtil.getMimeType(header);
      if (type == null || type.toString().isBlank()) {
        return null;
      }
      // null when absent or not a charset this JVM knows
      return new MediaType(type.toString().trim().toLowerCase(Locale.ROOT), HttpUtil.getCharset(header, null));
    }

    boolean isJson() {
      return type.equals("application/json") || type.equals("text/json") || type.endsWith("+json");
    }

    Charset charsetOr(Charset fallback) {
      return charset != null ? charset : fallback;
    }
  }
}
