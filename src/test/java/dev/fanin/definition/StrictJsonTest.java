package dev.fanin.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Request bodies are strict JSON, and what is wrong with one is said in the sender's terms. */
class StrictJsonTest {

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("{\"a\": NaN}", "malformed JSON at line 1, column 10: NaN is not a JSON number"),
        Arguments.of("{\"a\": -Infinity}", "malformed JSON at line 1, column 16: -Infinity is not a JSON number"),
        Arguments.of("{\"a\": 1,}", "malformed JSON at line 1, column 9: unexpected character '}': expected a key in double quotes"),
        Arguments.of("{a: 1}", "malformed JSON at line 1, column 2: unexpected character 'a': expected a key in double quotes"),
        Arguments.of("{\"a\" 1}", "malformed JSON at line 1, column 6: unexpected character '1': expected ':' after a key"),
        Arguments.of("{\"a\":[1 2]}", "malformed JSON at line 1, column 9: unexpected character '2': expected ',' or ']'"),
        Arguments.of("{\"a\": tru}", "malformed JSON at line 1, column 11: unexpected \"tru\": expected a string, number, object, array, true, false or null"),
        Arguments.of("{\"a\": ", "malformed JSON at line 1, column 7: unexpected end of input: an object is not closed"),
        Arguments.of("[1, 2", "malformed JSON at line 1, column 6: unexpected end of input: an array is not closed"),
        Arguments.of("{\"a\": \"abc", "malformed JSON at line 1, column 11: unexpected end of input inside a string"),
        Arguments.of("{\"a\": 1, \"a\": 2}", "malformed JSON at line 1, column 13: duplicate key \"a\""),
        Arguments.of("{\"a\":" + "[".repeat(70) + "]".repeat(70) + "}",
            "malformed JSON at line 1, column 70: nesting too deep (at most 64 levels of objects and arrays)"),
        Arguments.of("{\"a\": 1" + "0".repeat(80) + "}", "malformed JSON at line 1, column 88: number too long (at most 64 characters)"),
        Arguments.of("{\"a\": 01}", "malformed JSON at line 1, column 8: a number cannot start with 0 unless it is 0 (leading zeroes)"),
        Arguments.of("{\"a\": +1}", "malformed JSON at line 1, column 8: unexpected character '+': a number cannot start with '+'"),
        Arguments.of("{\"a\": \"x\u0001\"}", "malformed JSON at line 1, column 9: control character U+0001 must be escaped inside a string"),
        Arguments.of("{\"a\": \"\\q\"}", "malformed JSON at line 1, column 9: invalid escape \"\\q\" in a string"),
        Arguments.of("{/* c */}", "malformed JSON at line 1, column 2: unexpected character '/': comments are not allowed in JSON"),
        Arguments.of("{\"a\": [1}]}", "malformed JSON at line 1, column 9: unexpected '}': ']' must close the array first"),
        Arguments.of("{\"a\": 1}]", "malformed JSON at line 1, column 9: unexpected ']': there is no object or array to close"),
        Arguments.of("{\"a\": 1} {}", "malformed JSON at line 1, column 10: unexpected data after the JSON value"),
        Arguments.of("\n\n  {\"a\": NaN}", "malformed JSON at line 3, column 12: NaN is not a JSON number"),
        Arguments.of("", "empty: expected a JSON object"),
        Arguments.of(" \n", "empty: expected a JSON object"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedJsonIsExplainedWithoutTheParsersWords(String body, String detail) {
    InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
        () -> StrictJson.parseObject(Buffer.buffer(body)));
    assertEquals(List.of(new FieldError("", detail)), e.errors());
  }

  @Test
  void invalidUtf8IsSaidToBeSo() {
    byte[] latin1 = {'{', '"', 'a', '"', ':', '"', (byte) 0xe9, '"', '}'};
    InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
        () -> StrictJson.parseObject(Buffer.buffer(latin1)));
    assertEquals("malformed JSON at line 1, column 9: not valid UTF-8", e.errors().get(0).detail());
  }

  @Test
  void validJsonKeepsItsValuesAndOrder() {
    JsonObject json = StrictJson.parseObject(Buffer.buffer(
        "{\"b\": [1, 2.5, \"x\", true, false, null, {}], \"a\": {\"n\": 12345678901234567890}}"));
    assertEquals(List.of("b", "a"), List.copyOf(json.fieldNames()));
    JsonArray b = json.getJsonArray("b");
    assertEquals(1, b.getInteger(0));
    assertEquals(2.5, b.getDouble(1));
    assertEquals("x", b.getString(2));
    assertEquals(true, b.getBoolean(3));
    assertEquals(false, b.getBoolean(4));
    assertEquals(null, b.getValue(5));
    assertEquals(new JsonObject(), b.getJsonObject(6));
    assertEquals(new java.math.BigInteger("12345678901234567890"), json.getJsonObject("a").getValue("n"));
  }
}
