package dev.fanin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.FaninConfig;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bearer tokens checked against keys kept only as SHA-256 hashes. */
class ApiKeysTest {
  static FaninConfig.ApiKey key(String id, String token) {
    return new FaninConfig.ApiKey(id, ApiKeys.sha256(token), Set.of("aggregate"));
  }

  @Test
  void aTokenIsHashedWithSha256() {
    assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        HexFormat.of().formatHex(ApiKeys.sha256("hello")));
  }

  @Test
  void aTokenMatchesTheKeyWhoseHashItHasAndNothingElse() {
    FaninConfig.ApiKey alice = key("alice", "alice-secret");
    FaninConfig.ApiKey bob = key("bob", "bob-secret");
    ApiKeys keys = new ApiKeys(List.of(alice, bob));
    assertSame(bob, keys.match("bob-secret"));
    assertSame(alice, keys.match("alice-secret"));
    assertNull(keys.match("alice-secret "));
    assertNull(keys.match(""));
    assertNull(keys.match(HexFormat.of().formatHex(ApiKeys.sha256("alice-secret"))), "the hash is not the key");
  }

  @Test
  void whenTwoKeysShareATokenTheFirstConfiguredWins() {
    FaninConfig.ApiKey first = key("first", "shared");
    ApiKeys keys = new ApiKeys(List.of(first, key("second", "shared")));
    assertSame(first, keys.match("shared"));
  }

  @Test
  void keysReplacedWhileRunningApplyToTheNextMatch() {
    ApiKeys keys = new ApiKeys(List.of());
    assertTrue(keys.isEmpty());
    assertNull(keys.match("new-secret"));
    FaninConfig.ApiKey added = key("new", "new-secret");
    keys.replace(List.of(added));
    assertFalse(keys.isEmpty());
    assertSame(added, keys.match("new-secret"));
    keys.replace(List.of());
    assertNull(keys.match("new-secret"));
  }
}
