package dev.fanin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.FaninConfig;
import io.vertx.core.http.HttpMethod;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which scope a request needs, judged on the path the router matches; feeds:admin holds the feeds scopes. */
class RequiredScopeTest {
  @Test
  void runsNeedAggregateHoweverThePathIsSpelled() {
    for (String path : new String[] {"/v1/aggregate", "/v1/aggregate/", "/v1/feeds/x/aggregate",
        "/v1/feeds/x/aggregate/", "/v1//feeds/x/aggregate", "/v1/feeds/aggregate/aggregate"}) {
      assertEquals("aggregate", AccessControl.requiredScope(HttpMethod.GET, path), path);
      assertEquals("aggregate", AccessControl.requiredScope(HttpMethod.POST, path), path);
    }
  }

  @Test
  void aFeedReadAsAFeedIsARunToo() {
    for (String doc : new String[] {"feed.atom", "feed.json", "feed.rss"}) {
      assertEquals("aggregate", AccessControl.requiredScope(HttpMethod.GET, "/v1/feeds/x/" + doc), doc);
      assertEquals("aggregate", AccessControl.requiredScope(HttpMethod.HEAD, "/v1//feeds/x/" + doc + "/"), doc);
    }
    assertEquals("feeds:read", AccessControl.requiredScope(HttpMethod.GET, "/v1/feeds/x/feedXatom"));
  }

  @Test
  void aFeedNamedAggregateIsAFeedNotARun() {
    assertEquals("feeds:write", AccessControl.requiredScope(HttpMethod.PUT, "/v1/feeds/aggregate"));
    assertEquals("feeds:write", AccessControl.requiredScope(HttpMethod.DELETE, "/v1/feeds/aggregate/"));
    assertEquals("feeds:read", AccessControl.requiredScope(HttpMethod.GET, "/v1/feeds/aggregate"));
    assertEquals("feeds:read", AccessControl.requiredScope(HttpMethod.GET, "/v1/feeds/x/events"));
  }

  @Test
  void feedsAdminHoldsTheFeedsScopesButNotAggregate() {
    FaninConfig.ApiKey admin = new FaninConfig.ApiKey("a", new byte[32], Set.of("feeds:admin"));
    assertTrue(AccessControl.allows(admin, "feeds:read"));
    assertTrue(AccessControl.allows(admin, "feeds:write"));
    assertFalse(AccessControl.allows(admin, "aggregate"));
    assertFalse(AccessControl.allows(new FaninConfig.ApiKey("w", new byte[32], Set.of("feeds:write")), "feeds:read"));
  }
}
