package dev.fanin.feeds;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * A client as the feed registry sees it: an API key (by id), an anonymous client (by address,
 * when no keys are configured), or nobody. As the one asking for a change it says who asks (nobody:
 * the trusted event bus); as a feed's owner it says who created the feed (nobody: an operator feed,
 * a feed from before ownership, or one created over the bus).
 *
 * @param keyId the API key's id, or null
 * @param address an anonymous client's address, or null (never set together with keyId)
 */
public record FeedClient(String keyId, String address) {
  public static final FeedClient NONE = new FeedClient(null, null);
  /** The header that names the API key a registry request acts for (set by the HTTP intake). */
  public static final String KEY_HEADER = "fanin-client-key";
  /** The header that names the address of the anonymous client a registry request comes from. */
  public static final String ADDRESS_HEADER = "fanin-client-address";

  public FeedClient {
    if (keyId != null && address != null) {
      throw new IllegalArgumentException("a client is a key or an address, not both");
    }
  }

  public static FeedClient key(String id) {
    return new FeedClient(id, null);
  }

  public static FeedClient anonymous(String address) {
    return new FeedClient(null, address);
  }

  public boolean isNone() {
    return keyId == null && address == null;
  }

  public boolean isKey() {
    return keyId != null;
  }

  /** What budgets are kept under: one per key and one per anonymous address; null for nobody. */
  String account() {
    return keyId != null ? "key:" + keyId : address != null ? "address:" + address : null;
  }

  /** The client in a sentence: "API key frontend", "client 10.0.0.7". */
  String describe() {
    return keyId != null ? "API key " + keyId : address != null ? "client " + address : "no client";
  }

  /** Adds this client to a registry request (nothing for nobody: a trusted request). */
  public DeliveryOptions addTo(DeliveryOptions options) {
    if (keyId != null) {
      options.addHeader(KEY_HEADER, keyId);
    } else if (address != null) {
      options.addHeader(ADDRESS_HEADER, address);
    }
    return options;
  }

  /** The client a registry request names in its headers; nobody when it names none. */
  static FeedClient from(MultiMap headers) {
    String key = headers.get(KEY_HEADER);
    if (key != null && !key.isEmpty()) {
      return key(key);
    }
    String address = headers.get(ADDRESS_HEADER);
    return address != null && !address.isEmpty() ? anonymous(address) : NONE;
  }

  /** The stored form, {"key": id} or {"address": a}; null for nobody. */
  JsonObject toJson() {
    return keyId != null ? new JsonObject().put("key", keyId)
        : address != null ? new JsonObject().put("address", address) : null;
  }

  /** Reads the stored form (null or absent: nobody). */
  static FeedClient fromJson(Object json) {
    if (json == null) {
      return NONE;
    }
    if (!(json instanceof JsonObject o) || o.size() != 1
        || !(o.getValue("key") instanceof String || o.getValue("address") instanceof String)) {
      throw new IllegalArgumentException("a feed's owner must be {\"key\": id} or {\"address\": address}");
    }
    return o.containsKey("key") ? key(o.getString("key")) : anonymous(o.getString("address"));
  }
}
