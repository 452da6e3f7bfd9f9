package dev.fanin.testing;

import dev.fanin.security.ApiKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HexFormat;

/**
 * API keys for tests (each key's secret is its id plus "-secret") and requests made with them: the
 * security.apiKeys entries to configure, and a call that sends the key as a bearer token.
 */
public final class KeyedClient {
  private KeyedClient() {}

  /** A security.apiKeys entry for key {@code id} with these scopes; its secret is {@link #secret}. */
  public static JsonObject key(String id, String... scopes) {
    return new JsonObject().put("id", id)
        .put("sha256", HexFormat.of().formatHex(ApiKeys.sha256(secret(id))))
        .put("scopes", new JsonArray(java.util.List.of((Object[]) scopes)));
  }

  /**
   * A client of this fanin that connects from another loopback address (127.0.0.2, ...): another
   * anonymous client, as fanin sees it.
   */
  public static WebClient from(FaninHarness fanin, String localAddress) {
    return WebClient.create(fanin.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(fanin.fanin.port()).setKeepAlive(false).setLocalAddress(localAddress));
  }

  public static String secret(String id) {
    return id + "-secret";
  }

  /** A request as key {@code keyId} (null: no key), with a JSON body and If-Match when given. */
  public static HttpResponse<Buffer> call(FaninHarness fanin, HttpMethod method, String path, String keyId,
      JsonObject body, String ifMatch) {
    return call(fanin.client, method, path, keyId, body, ifMatch);
  }

  /** As {@link #call(FaninHarness, HttpMethod, String, String, JsonObject, String)}, through this client. */
  public static HttpResponse<Buffer> call(WebClient client, HttpMethod method, String path, String keyId,
      JsonObject body, String ifMatch) {
    HttpRequest<Buffer> req = client.request(method, path);
    if (keyId != null) {
      req.putHeader("Authorization", "Bearer " + secret(keyId));
    }
    if (ifMatch != null) {
      req.putHeader("If-Match", ifMatch);
    }
    if (body != null) {
      return req.putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()).await();
    }
    return req.send().await();
  }
}
