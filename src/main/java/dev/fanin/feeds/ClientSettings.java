package dev.fanin.feeds;

import dev.fanin.config.FaninConfig;
import java.util.function.Supplier;

/**
 * What the live configuration says about the clients the registry deals with: each API key's
 * scopes and budget, read at each change so that a reloaded config applies at once.
 */
final class ClientSettings {
  private final Supplier<FaninConfig.Security> security;

  ClientSettings(Supplier<FaninConfig.Security> security) {
    this.security = security;
  }

  /** Whether the key has this scope now; false for a key no longer configured. */
  boolean hasScope(String keyId, String scope) {
    FaninConfig.ApiKey key = key(keyId);
    return key != null && key.scopes().contains(scope);
  }

  /**
   * A client's budget: its key's own, or security.clientBudget for an anonymous client and for a
   * key no longer configured.
   */
  FaninConfig.ClientBudget budget(FeedClient client) {
    FaninConfig.ApiKey key = client.isKey() ? key(client.keyId()) : null;
    return key != null ? key.budget() : security.get().clientBudget();
  }

  private FaninConfig.ApiKey key(String keyId) {
    for (FaninConfig.ApiKey key : security.get().apiKeys()) {
      if (key.id().equals(keyId)) {
        return key;
      }
    }
    return null;
  }
}
