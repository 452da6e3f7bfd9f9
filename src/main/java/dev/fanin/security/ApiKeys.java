package dev.fanin.security;

import dev.fanin.config.FaninConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Checks bearer tokens against configured API keys, kept only as SHA-256 hashes. The presented
 * token is hashed and compared with every key in constant time, so neither the comparison nor the
 * position of the matching key leaks through timing.
 */
public final class ApiKeys {
  private volatile List<FaninConfig.ApiKey> keys;

  public ApiKeys(List<FaninConfig.ApiKey> keys) {
    this.keys = List.copyOf(keys);
  }

  /** Replaces the keys (live configuration). */
  public void replace(List<FaninConfig.ApiKey> keys) {
    this.keys = List.copyOf(keys);
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The key the token belongs to, or null. */
  public FaninConfig.ApiKey match(String token) {
    byte[] hash = sha256(token);
    FaninConfig.ApiKey found = null;
    for (FaninConfig.ApiKey key : this.keys) {
      if (MessageDigest.isEqual(hash, key.sha256()) && found == null) {
        found = key;
      }
    }
    return found;
  }

  public static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
