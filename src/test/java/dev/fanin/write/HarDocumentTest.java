package dev.fanin.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.fanin.fetch.ErrorKind;
import dev.fanin.testing.HarSchema;
import dev.fanin.testing.Results;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HarDocumentTest {
  static HarDocument document(int sources) {
    return new HarDocument("req-1", "req-1", Results.FETCHED_AT, java.util.Collections.nCopies(sources, Set.of("x-secret")),
        List.of("X-API-Key"), false);
  }

  @Test
  void sourcesThatSentNothingOfTheirOwnAreListedInThePageAndTheDocumentIsValidHar() {
    HarDocument har = document(2);
    har.onResult(0, Results.ok("a", "{}"));
    har.onResult(1, Results.failed("b", ErrorKind.TIMEOUT, "too slow"));
    JsonObject json = har.toJson(Results.summary(1, 1, null));
    HarSchema.assertValid(json);
    JsonObject log = json.getJsonObject("log");
    assertEquals("1.2", log.getString("version"));
    assertEquals(new JsonObject().put("name", "fanin").put("version", "dev"), log.getJsonObject("creator"));
    assertEquals(new JsonArray(), log.getJsonArray("entries"));
    JsonObject page = log.getJsonArray("pages").getJsonObject(0);
    assertEquals("req-1", page.getString("title"));
    assertEquals(42, page.getJsonObject("pageTimings").getInteger("onLoad"));
    assertEquals(new JsonArray()
        .add(new JsonObject().put("id", "a").put("status", "ok").put("from", "upstream"))
        .add(new JsonObject().put("id", "b").put("status", "error").put("from", "upstream")
            .put("error", new JsonObject().put("kind", "timeout").put("message", "too slow"))),
        page.getJsonArray("_sources"));
  }

  @Test
  void credentialsAreRedactedWhateverTheirCaseAndOtherHeadersKept() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer t").add("Cookie", "c=1")
        .add("SET-COOKIE", "s=1").add("Proxy-Authorization", "Basic x").add("x-api-key", "k")
        .add("X-Secret", "s").add("Accept", "application/json");
    JsonArray out = document(1).headers(headers, Set.of("x-secret"));
    assertEquals(7, out.size());
    for (int i = 0; i < 6; i++) {
      assertEquals(HarDocument.REDACTED, out.getJsonObject(i).getString("value"), out.encode());
    }
    assertEquals("SET-COOKIE", out.getJsonObject(2).getString("name"), "names are kept as they were");
    assertEquals(new JsonObject().put("name", "Accept").put("value", "application/json"), out.getJsonObject(6));
  }

  @Test
  void theSchemaRefusesADocumentThatIsNotHar() {
    JsonObject valid = document(0).toJson(Results.summary(0, 0, null));
    HarSchema.assertValid(valid);
    JsonObject noVersion = valid.copy();
    noVersion.getJsonObject("log").remove("version");
    assertFalse(HarSchema.validate(noVersion).getValid());
    JsonObject badEntry = valid.copy();
    badEntry.getJsonObject("log").getJsonArray("entries").add(new JsonObject().put("startedDateTime", "yesterday"));
    assertFalse(HarSchema.validate(badEntry).getValid(), "an entry is checked against entry.json through its $ref");
  }
}
