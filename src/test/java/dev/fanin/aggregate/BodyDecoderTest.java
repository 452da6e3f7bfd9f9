package dev.fanin.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.FetchException;
import dev.fanin.testing.ParserWords;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodyDecoderTest {
  private static final String JSON = "{\"name\":\"Zoë\",\"n\":[1,2.5,true,null],\"s\":\"a\\\"b\\u00e9\"}";

  private static Buffer utf8(String s) {
    return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Buffer bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return Buffer.buffer(b);
  }

  private static Buffer concat(Buffer... parts) {
    Buffer out = Buffer.buffer();
    for (Buffer p : parts) {
      out.appendBuffer(p);
    }
    return out;
  }

  private static SourceData.Json json(SourceData data) {
    return assertInstanceOf(SourceData.Json.class, data);
  }

  private static SourceData.Text text(SourceData data) {
    return assertInstanceOf(SourceData.Text.class, data);
  }

  private static void invalidBody(String contentType, Buffer body) {
    FetchException e = assertThrows(FetchException.class, () -> BodyDecoder.decode(contentType, body),
        () -> "accepted " + body);
    assertEquals(ErrorKind.INVALID_BODY, e.kind());
  }

  @Test
  void jsonContentTypesKeepTheSameBytes() {
    for (String type : List.of("application/json", "application/problem+json", "text/json",
        "application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\"",
        "application/vnd.api+json")) {
      Buffer body = utf8(JSON);
      SourceData.Json data = json(BodyDecoder.decode(type, body));
      assertArrayEquals(body.getBytes(), data.utf8().getBytes(), type);
      assertEquals(body.length(), data.size());
    }
  }

  @Test
  void scalarsAndWhitespaceAreJsonToo() {
    assertEquals("42", json(BodyDecoder.decode("application/json", utf8("42"))).utf8().toString());
    assertEquals("\"hi\"", json(BodyDecoder.decode("application/json", utf8("\"hi\""))).utf8().toString());
    // kept as bytes, except that line breaks become spaces: the answer must fit one NDJSON line or SSE event
    assertEquals(" [1]  ", json(BodyDecoder.decode("application/json", utf8(" [1] \n"))).utf8().toString());
  }

  @Test
  void utf8BomIsStripped() {
    Buffer body = concat(bytes(0xEF, 0xBB, 0xBF), utf8(JSON));
    SourceData.Json data = json(BodyDecoder.decode("application/json", body));
    assertArrayEquals(utf8(JSON).getBytes(), data.utf8().getBytes());
  }

  @Test
  void truncatedJsonIsInvalidBody() {
    invalidBody("application/json", utf8("{\"a\": [1, 2"));
    invalidBody("application/json", utf8("{\"a\":"));
    invalidBody("application/json", utf8("[\"abc"));
  }

  @Test
  void trailingGarbageIsInvalidBody() {
    invalidBody("application/json", utf8("{\"a\":1} x"));
    invalidBody("application/json", utf8("{\"a\":1}{\"b\":2}"));
    invalidBody("application/json", utf8("[1]]"));
    invalidBody("application/json", utf8("1 2"));
  }

  @Test
  void badEscapesAreInvalidBody() {
    invalidBody("application/json", utf8("{\"a\":\"\\q\"}"));
    invalidBody("application/json", utf8("{\"\\q\":1}"));
    invalidBody("application/json", utf8("[\"\\u12\"]"));
  }

  @Test
  void unescapedControlCharIsInvalidBody() {
    invalidBody("application/json", utf8("{\"a\":\"line\nbreak\"}"));
    invalidBody("application/json", utf8("[\"tab\there\"]"));
    invalidBody("application/json", utf8("[\"nul\u0000\"]"));
  }

  @Test
  void invalidUtf8IsInvalidBody() {
    invalidBody("application/json", concat(utf8("{\"a\":\""), bytes(0xFF, 0xFE, 0x41), utf8("\"}")));
    invalidBody("application/json", concat(utf8("[\""), bytes(0xC3, 0x28), utf8("\"]")));
    invalidBody("application/json; charset=utf-8", concat(utf8("[\"x"), bytes(0xE2, 0x82), utf8("\"]")));
  }

  @Test
  void otherMalformedJsonIsInvalidBody() {
    invalidBody("application/json", utf8("{a:1}"));
    invalidBody("application/json", utf8("[1,]"));
    invalidBody("text/json", utf8("<html>error</html>"));
    invalidBody("application/problem+json", utf8("not json"));
    invalidBody("application/json", utf8("   "));
  }

  @Test
  void noContentTypeAndJsonLookingBodyIsJson() {
    for (String type : new String[] {null, "", "  "}) {
      SourceData.Json obj = json(BodyDecoder.decode(type, utf8(JSON)));
      assertArrayEquals(utf8(JSON).getBytes(), obj.utf8().getBytes());
      json(BodyDecoder.decode(type, utf8("  [1, 2]")));
    }
  }

  @Test
  void noContentTypeAndNotJsonIsText() {
    assertEquals("hello", text(BodyDecoder.decode(null, utf8("hello"))).text());
    assertEquals("{not json", text(BodyDecoder.decode(null, utf8("{not json"))).text());
    assertEquals("[1] trailing", text(BodyDecoder.decode(null, utf8("[1] trailing"))).text());
    assertEquals("Zoë", text(BodyDecoder.decode(null, utf8("Zoë"))).text());
  }

  @Test
  void textPlainIsDecodedInItsCharset() {
    assertEquals("Zoë café",
        text(BodyDecoder.decode("text/plain; charset=iso-8859-1",
            Buffer.buffer("Zoë café".getBytes(StandardCharsets.ISO_8859_1)))).text());
    assertEquals("Zoë", text(BodyDecoder.decode("text/plain", utf8("Zoë"))).text());
    assertEquals("<p>é</p>", text(BodyDecoder.decode("text/html; charset=UTF-8", utf8("<p>é</p>"))).text());
  }

  @Test
  void windows1252IsDecoded() {
    Buffer body = bytes(0x80, 0x20, 0x93, 'q', 0x94, 0x20, 0xE9);
    assertEquals("€ “q” é",
        text(BodyDecoder.decode("text/plain; charset=windows-1252", body)).text());
  }

  @Test
  void unknownCharsetFallsBackToUtf8() {
    assertEquals("é", text(BodyDecoder.decode("text/plain; charset=no-such-charset", utf8("é"))).text());
    assertEquals("é", text(BodyDecoder.decode("text/plain; charset=", utf8("é"))).text());
  }

  @Test
  void textPlainIsNeverParsedAsJson() {
    assertEquals("{\"a\":1}", text(BodyDecoder.decode("text/plain", utf8("{\"a\":1}"))).text());
  }

  @Test
  void utf16JsonWithDeclaredCharsetIsReencodedAsUtf8() {
    for (Charset cs : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
      Buffer body = Buffer.buffer(JSON.getBytes(cs));
      SourceData.Json data = json(BodyDecoder.decode("application/json; charset=" + cs.name(), body));
      assertEquals(new JsonObject(JSON), new JsonObject(data.utf8()), cs.name());
      // the bytes really are UTF-8 now
      assertEquals(new JsonObject(JSON), new JsonObject(new String(data.utf8().getBytes(), StandardCharsets.UTF_8)));
    }
  }

  @Test
  void latin1JsonWithDeclaredCharsetIsReencodedAsUtf8() {
    Buffer body = Buffer.buffer("{\"name\":\"Zoë\"}".getBytes(StandardCharsets.ISO_8859_1));
    SourceData.Json data = json(BodyDecoder.decode("application/json; charset=iso-8859-1", body));
    assertEquals("Zoë", new JsonObject(data.utf8()).getString("name"));
  }

  @Test
  void malformedJsonIsExplainedWithoutTheParsersWords() {
    Map<String, String> cases = Map.of(
        "{\"price\": NaN}", "malformed JSON body at line 1, column 14: NaN is not a JSON number",
        "{\"a\": [1}", "malformed JSON body at line 1, column 9: unexpected '}': ']' must close the array first",
        "{\"a\": 1", "malformed JSON body at line 1, column 8: unexpected end of input: an object is not closed",
        "{\"a\": 1}]", "malformed JSON body at line 1, column 9: unexpected ']': there is no object or array to close");
    cases.forEach((body, message) -> {
      FetchException e = assertThrows(FetchException.class, () -> BodyDecoder.decode("application/json", utf8(body)));
      assertEquals(message, e.getMessage(), body);
      ParserWords.assertNone(e.getMessage());
    });
    FetchException utf16 = assertThrows(FetchException.class, () -> BodyDecoder.decode(
        "application/json; charset=utf-16le", Buffer.buffer("{\"a\": NaN}".getBytes(StandardCharsets.UTF_16LE))));
    assertTrue(utf16.getMessage().endsWith("NaN is not a JSON number"), utf16.getMessage());
    ParserWords.assertNone(utf16.getMessage());
  }

  @Test
  void malformedJsonInDeclaredUtf16IsInvalidBody() {
    invalidBody("application/json; charset=utf-16le",
        Buffer.buffer("{\"a\":".getBytes(StandardCharsets.UTF_16LE)));
  }

  @Test
  void emptyBodyIsNull() {
    assertNull(BodyDecoder.decode("application/json", Buffer.buffer()));
    assertNull(BodyDecoder.decode("text/plain", Buffer.buffer()));
    assertNull(BodyDecoder.decode(null, Buffer.buffer()));
    assertNull(BodyDecoder.decode("application/json", null));
    assertNull(BodyDecoder.decodeLeniently("application/json", Buffer.buffer()));
  }

  @Test
  void decodeLenientlyNeverThrows() {
    List<Buffer> bodies = List.of(utf8("{\"a\":"), utf8("{\"a\":\"\\q\"}"), utf8("not json"),
        concat(utf8("[\""), bytes(0xFF), utf8("\"]")), utf8(JSON), bytes(0, 0, 0, 0),
        Buffer.buffer("{\"a\":".getBytes(StandardCharsets.UTF_16LE)));
    List<String> types = java.util.Arrays.asList("application/json", "text/json", "application/problem+json",
        "application/json; charset=utf-16", "application/json; charset=bogus", "text/plain", null,
        "garbage;;;charset");
    for (String type : types) {
      for (Buffer body : bodies) {
        SourceData data = BodyDecoder.decodeLeniently(type, body);
        if (data == null) {
          throw new AssertionError("null for a non-empty body with " + type);
        }
      }
    }
    assertEquals("{\"a\":", text(BodyDecoder.decodeLeniently("application/json", utf8("{\"a\":"))).text());
    json(BodyDecoder.decodeLeniently("application/json", utf8(JSON)));
  }
}
