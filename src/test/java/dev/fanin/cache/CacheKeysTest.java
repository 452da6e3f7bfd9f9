package dev.fanin.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.fanin.fetch.FetchRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Which requests may share an answer: only those that would send the same request. */
class CacheKeysTest {
  static FetchRequest get(String url, String... headers) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return new FetchRequest("s", HttpMethod.GET, URI.create(url), h, null, null, 1000, 0, null, null);
  }

  @Test
  void everyHeaderTheSourceSetsIsPartOfTheKey() {
    String url = "http://api.example/account";
    for (String header : new String[] {"X-API-Key", "Cookie", "Authorization", "X-Auth-Token", "Api-Key",
        "X-Anything", "Accept"}) {
      assertNotEquals(CacheKeys.of(get(url, header, "alice")), CacheKeys.of(get(url, header, "bob")), header);
      assertNotEquals(CacheKeys.of(get(url)), CacheKeys.of(get(url, header, "alice")), header);
    }
  }

  @Test
  void theSameHeadersGiveTheSameKeyWhateverTheirOrderOrCase() {
    String url = "http://api.example/x";
    assertEquals(CacheKeys.of(get(url, "A", "1", "b", "2")), CacheKeys.of(get(url, "B", "2", "a", "1")));
    assertEquals(CacheKeys.of(get(url)), CacheKeys.of(get(url)));
    assertNotEquals(CacheKeys.of(get(url, "A", "1", "A", "2")), CacheKeys.of(get(url, "A", "2", "A", "1")),
        "the order of a repeated header's values matters");
    assertNotEquals(CacheKeys.of(get(url, "A", "1")), CacheKeys.of(get("http://api.example/y", "A", "1")));
  }

  @Test
  void credentialsNeverAppearInTheKeyInClear() {
    String key = CacheKeys.of(get("http://api.example/x", "X-API-Key", "alice-secret"));
    assertFalse(key.contains("alice-secret"), key);
  }
}
