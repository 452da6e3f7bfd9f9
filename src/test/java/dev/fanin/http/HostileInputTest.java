package dev.fanin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.ParserWords;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Generated hostile input against the HTTP and event-bus intakes: malformed, deeply nested, huge
 * numbers, wrong types, odd unicode, duplicate keys, enormous strings. Never a 500, never a hang,
 * every refusal is problem+json. The generator is seeded, so a failure can be replayed.
 */
class HostileInputTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("http", new JsonObject().put("maxBodyBytes", 262_144)))
      .upstreams(0);
  static final String DEAD = "http://127.0.0.1:9/x";

  static String valid() {
    return "{\"sources\":[{\"id\":\"a\",\"url\":\"" + DEAD + "\",\"timeoutMs\":500},"
        + "{\"id\":\"b\",\"url\":\"" + DEAD + "\",\"headers\":{\"Accept\":\"application/json\"}}],"
        + "\"deadlineMs\":1000,\"concurrency\":2}";
  }

  static final String[] ODD = {"\\u0000", "\\ud800", "\\udfff", "\\u202e", "\\uffff", "é", "𝄞", "\\r\\n",
      "%00", "../", "\\\\", "\\\"", "{id}", "${jndi:ldap://x}", "<script>"};
  static final String[] VALUES = {"null", "true", "-0", "1e400", "-1e400", "123456789012345678901234567890",
      "0.000000001", "[]", "{}", "\"\"", "[[[]]]", "-1", "2147483648", "\"" + "x".repeat(100_000) + "\""};

  static List<String> cases(long seed, int count) {
    Random r = new Random(seed);
    List<String> out = new ArrayList<>();
    String base = valid();
    out.add("[".repeat(5000) + "]".repeat(5000));
    out.add("{\"sources\":" + "[".repeat(3000) + "]".repeat(3000) + "}");
    out.add("{\"sources\":[{\"id\":\"a\",\"url\":\"" + DEAD + "\",\"headers\":" + "{\"a\":".repeat(500) + "1" + "}".repeat(500) + "}]}");
    out.add("{\"sources\":[],\"sources\":[{\"id\":\"a\",\"url\":\"" + DEAD + "\"}]}");
    out.add("{\"sources\":[{\"id\":\"a\",\"id\":\"b\",\"url\":\"" + DEAD + "\"}]}");
    out.add("{\"sources\":[{\"id\":\"" + "a".repeat(200_000) + "\",\"url\":\"" + DEAD + "\"}]}");
    out.add("{\"sources\":[{\"id\":\"a\",\"url\":\"" + DEAD + "\",\"timeoutMs\":1" + "0".repeat(5000) + "}]}");
    out.add("\uFEFF" + base);
    out.add(base.replace("\"a\"", "\"\\u0000\""));
    for (int i = 0; i < count; i++) {
      StringBuilder doc = new StringBuilder(base);
      int kind = r.nextInt(6);
      switch (kind) {
        case 0 -> doc.setLength(r.nextInt(doc.length())); // truncated
        case 1 -> { // flipped bytes
          for (int j = 0; j < 1 + r.nextInt(4); j++) {
            doc.setCharAt(r.nextInt(doc.length()), (char) r.nextInt(128));
          }
        }
        case 2 -> { // a value replaced by an odd one
          String[] fields = {"\"" + DEAD + "\"", "500", "1000", "2", "\"a\"", "\"application/json\""};
          String field = fields[r.nextInt(fields.length)];
          int at = doc.indexOf(field);
          doc.replace(at, at + field.length(), VALUES[r.nextInt(VALUES.length)]);
        }
        case 3 -> { // odd unicode inside a string
          int at = doc.indexOf("\"a\"") + 1;
          doc.insert(at, ODD[r.nextInt(ODD.length)]);
        }
        case 4 -> { // a random field added
          doc.insert(1, "\"" + ODD[r.nextInt(ODD.length)] + "\":" + VALUES[r.nextInt(VALUES.length)] + ",");
        }
        default -> { // random bytes
          byte[] noise = new byte[1 + r.nextInt(64)];
          r.nextBytes(noise);
          doc = new StringBuilder(new String(noise, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
      }
      out.add(doc.toString());
    }
    return out;
  }

  @Test
  void theHttpApiNeverAnswers500AndAlwaysExplainsRefusals() {
    for (String body : cases(20261125L, 300)) {
      for (String path : new String[] {"/v1/aggregate", "/v1/aggregate?stream=ndjson", "/v1/feeds/hostile"}) {
        HttpResponse<Buffer> res;
        try {
          var req = path.startsWith("/v1/feeds")
              ? fixture.fanin().client.put(path) : fixture.fanin().client.post(path);
          res = req.putHeader("Content-Type", "application/json").timeout(10_000)
              .sendBuffer(Buffer.buffer(body)).await();
        } catch (Exception e) {
          fail("no answer for " + abbreviate(body) + " at " + path + ": " + e);
          return;
        }
        assertNotEquals(500, res.statusCode(), abbreviate(body) + " -> " + res.bodyAsString());
        if (res.statusCode() == 502 || res.statusCode() == 504) {
          // a definition valid by chance: its dead sources give an aggregate, not a problem
          assertTrue(res.bodyAsJsonObject().containsKey("results"), abbreviate(body));
        }
        if (res.statusCode() >= 400 && res.statusCode() < 500) {
          assertEquals("application/problem+json", res.getHeader("Content-Type"), abbreviate(body));
          JsonObject problem = res.bodyAsJsonObject();
          assertEquals(res.statusCode(), problem.getInteger("status"));
          ParserWords.assertNone(problem.getString("detail"));
        }
      }
    }
  }

  @Test
  void theEventBusNeverFailsWith500OrTimesOut() {
    List<Object> bodies = new ArrayList<>();
    bodies.add(null);
    bodies.add("not json");
    bodies.add(42);
    bodies.add(Buffer.buffer("{\"sources\":[]}"));
    bodies.add(new JsonArray().add(1));
    bodies.add(new JsonObject().put("feed", 7));
    bodies.add(new JsonObject().put("feed", "nope"));
    bodies.add(new JsonObject().put("feed", "x").put("params", "y"));
    for (String body : cases(7L, 150)) {
      try {
        bodies.add(new JsonObject(body));
      } catch (RuntimeException e) {
        bodies.add(body);
      }
    }
    for (Object body : bodies) {
      try {
        fixture.vertx().eventBus().request("fanin.aggregate", body, new DeliveryOptions().setSendTimeout(10_000)).await();
      } catch (ReplyException e) {
        assertEquals(ReplyFailure.RECIPIENT_FAILURE, e.failureType(), String.valueOf(body) + ": " + e);
        assertTrue(e.failureCode() >= 400 && e.failureCode() < 600 && e.failureCode() != 500,
            abbreviate(String.valueOf(body)) + " -> " + e.failureCode() + " " + e.getMessage());
      } catch (IllegalArgumentException e) {
        // the sender's own event bus refuses a type it has no codec for: nothing reached fanin
      }
    }
  }

  static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…(" + s.length() + ")" : s;
  }
}
