package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.fanin.config.FaninConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** {@link SoftLimit}: a value at the rule's pointer in a small successful JSON answer is a limit hit. */
class SoftLimitTest {
  static final String NOTE = "Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day.";

  private static FaninConfig.OriginRule rule(String pointer) {
    return new FaninConfig.OriginRule("www.alphavantage.co", 0, 1, 0, 0, pointer);
  }

  private static FetchResponse answer(int status, String contentType, String body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (contentType != null) {
      headers.add("Content-Type", contentType);
    }
    return new FetchResponse(status, headers, Buffer.buffer(body));
  }

  private static FetchResponse json(String body) {
    return answer(200, "application/json", body);
  }

  /** A JSON object with a Note and padding, exactly {@code length} bytes long. */
  private static String noteOfLength(int length) {
    String head = "{\"Note\":\"limit\",\"pad\":\"";
    String tail = "\"}";
    return head + "x".repeat(length - head.length() - tail.length()) + tail;
  }

  @Test
  void aValueAtThePointerIsQuoted() {
    assertEquals(NOTE, SoftLimit.find(rule("/Note"), json("{\"Note\": \"" + NOTE + "\"}")));
  }

  @Test
  void aValueThatIsNoStringIsQuotedAsJson() {
    assertEquals("{\"code\":429}", SoftLimit.find(rule("/Note"), json("{\"Note\": {\"code\": 429}}")));
    assertEquals("25", SoftLimit.find(rule("/Note"), json("{\"Note\": 25}")));
  }

  @Test
  void nothingAtThePointerIsNoSoftLimit() {
    assertNull(SoftLimit.find(rule("/Note"), json("{\"Meta Data\": {}, \"Time Series\": {}}")));
    assertNull(SoftLimit.find(rule("/Note"), json("{\"Note\": null}")));
  }

  @Test
  void aNestedPointer() {
    String body = "{\"meta\": {\"limit\": \"daily quota reached\"}, \"data\": []}";
    assertEquals("daily quota reached", SoftLimit.find(rule("/meta/limit"), json(body)));
    assertNull(SoftLimit.find(rule("/meta/limit"), json("{\"meta\": {}, \"limit\": \"x\"}")));
  }

  @Test
  void aTopLevelArrayIsLookedIntoToo() {
    assertEquals("slow down", SoftLimit.find(rule("/0/Note"), json("[{\"Note\": \"slow down\"}]")));
  }

  @Test
  void aLongValueIsCutTo200Characters() {
    String quoted = SoftLimit.find(rule("/Note"), json("{\"Note\": \"" + "n".repeat(300) + "\"}"));
    assertEquals("n".repeat(200) + "…", quoted);
    assertEquals("n".repeat(200), SoftLimit.find(rule("/Note"), json("{\"Note\": \"" + "n".repeat(200) + "\"}")));
  }

  @Test
  void aContentTypeThatIsNotJsonIsNoSoftLimit() {
    String body = "{\"Note\": \"limit\"}";
    assertNull(SoftLimit.find(rule("/Note"), answer(200, "text/html", body)));
    assertNull(SoftLimit.find(rule("/Note"), answer(200, "text/plain; charset=utf-8", body)));
    assertEquals("limit", SoftLimit.find(rule("/Note"), answer(200, "application/vnd.api+JSON; charset=utf-8", body)));
    assertEquals("limit", SoftLimit.find(rule("/Note"), answer(200, null, body)), "no Content-Type: looked into");
  }

  @Test
  void aBodyOver64KiBIsNotLookedInto() {
    assertEquals("limit", SoftLimit.find(rule("/Note"), json(noteOfLength(SoftLimit.MAX_BYTES))));
    assertNull(SoftLimit.find(rule("/Note"), json(noteOfLength(SoftLimit.MAX_BYTES + 1))));
  }

  @Test
  void anAnswerThatIsNoSuccessIsNoSoftLimit() {
    String body = "{\"Note\": \"limit\"}";
    for (int status : new int[] {199, 301, 304, 404, 429, 500, 503}) {
      assertNull(SoftLimit.find(rule("/Note"), answer(status, "application/json", body)), "status " + status);
    }
    assertEquals("limit", SoftLimit.find(rule("/Note"), answer(299, "application/json", body)));
  }

  @Test
  void noRuleOrNoPointerOrNoJsonIsNoSoftLimit() {
    String body = "{\"Note\": \"limit\"}";
    assertNull(SoftLimit.find(null, json(body)));
    assertNull(SoftLimit.find(rule(null), json(body)));
    assertNull(SoftLimit.find(rule("/Note"), json("{\"Note\": ")));
    assertNull(SoftLimit.find(rule("/Note"), json("\"limit\"")));
    assertNull(SoftLimit.find(rule("/Note"), json("")));
  }
}
