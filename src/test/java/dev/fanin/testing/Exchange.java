package dev.fanin.testing;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP exchange on loopback whose response the test writes itself, through the writer under
 * test, on the event loop the request arrived on; the client side keeps what it received.
 */
public final class Exchange implements AutoCloseable {
  private final CompletableFuture<HttpServerResponse> arrived = new CompletableFuture<>();
  private final CompletableFuture<HttpClientResponse> head = new CompletableFuture<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final Buffer received = Buffer.buffer();
  private volatile HttpServer server;
  private volatile HttpClient client;
  private volatile Context context;
  private volatile HttpConnection clientConnection;

  private Exchange() {}

  /** Sends one request of this method and waits until the server has it. */
  public static Exchange open(Vertx vertx, HttpMethod method) throws Exception {
    Exchange ex = new Exchange();
    ex.server = vertx.createHttpServer().requestHandler(req -> {
      ex.context = Vertx.currentContext();
      ex.arrived.complete(req.response());
    }).listen(0, "127.0.0.1").await();
    ex.client = vertx.createHttpClient();
    ex.client.request(method, ex.server.actualPort(), "127.0.0.1", "/").compose(req -> {
      ex.clientConnection = req.connection();
      return req.send();
    }).onSuccess(res -> {
      res.handler(ex::append);
      res.endHandler(v -> ex.ended.complete(null));
      ex.head.complete(res);
    }).onFailure(ex.head::completeExceptionally);
    ex.arrived.get(5, TimeUnit.SECONDS);
    return ex;
  }

  /** The response to write, on {@link #context()}. */
  public HttpServerResponse response() {
    return arrived.join();
  }

  /** The event loop of the server's side of the exchange. */
  public Context context() {
    return context;
  }

  /** Runs the action on the exchange's event loop and waits for it to have run. */
  public void on(Runnable action) {
    Fetches.on(context, action);
  }

  private synchronized void append(Buffer chunk) {
    received.appendBuffer(chunk);
  }

  /** The response head as the client got it. */
  public HttpClientResponse head() throws Exception {
    return head.get(5, TimeUnit.SECONDS);
  }

  /** What the client received so far. */
  public synchronized String received() {
    return received.toString();
  }

  /** The whole body, once the response ended. */
  public String body() throws Exception {
    head();
    ended.get(5, TimeUnit.SECONDS);
    return received();
  }

  /** The client goes away before the answer is written: its connection closes. */
  public void hangUp() {
    clientConnection.close().await();
  }

  @Override
  public void close() {
    client.close().await();
    server.close().await();
  }
}
