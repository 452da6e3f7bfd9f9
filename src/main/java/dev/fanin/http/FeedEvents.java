package dev.fanin.http;

import dev.fanin.feeds.FeedAddresses;
import dev.fanin.feeds.FeedRuns;
import dev.fanin.write.SseFrames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GET /v1/feeds/{name}/events for one intake event loop: the Server-Sent Events of scheduled feeds.
 * One event-bus consumer per feed followed on this loop, each run encoded once for all of its
 * subscribers here. Each event's id is its run's runAt: a client that reconnects with
 * Last-Event-ID gets the runs it missed while the feed still remembers them. Streams end with an
 * event when the feed is deleted or loses its schedule, and when fanin shuts down (they never end
 * by themselves, so they must not hold the shutdown). A subscriber too slow to keep up misses runs
 * rather than growing fanin's memory.
 */
final class FeedEvents {
  private static final long KEEP_ALIVE_MS = 15_000;
  private final Vertx vertx;
  private final FeedRuns runs;
  private final Map<String, Topic> topics = new HashMap<>();
  private long keepAlive = -1;
  private boolean closing;

  FeedEvents(Vertx vertx, FeedRuns runs) {
    this.vertx = vertx;
    this.runs = runs;
  }

  /** One client's stream. */
  private static final class Subscriber {
    final HttpServerResponse response;
    String lastId;
    /** While the runs it missed are fetched, the newest live run waits here. */
    boolean replaying = true;
    String pendingId;
    Buffer pending;

    Subscriber(HttpServerResponse response, String lastId) {
      this.response = response;
      this.lastId = lastId;
    }

    void send(String id, Buffer frame) {
      if (replaying) {
        pendingId = id;
        pending = frame;
        return;
      }
      if (response.closed() || id.equals(lastId) || response.writeQueueFull()) {
        return;
      }
      lastId = id;
      response.write(frame);
    }

    void end(Buffer last) {
      if (!response.closed()) {
        response.end(last);
      }
    }
  }

  /** The subscribers of one feed on this loop and the consumer of its runs. */
  private final class Topic {
    final String feed;
    final Set<Subscriber> subscribers = new LinkedHashSet<>();
    final MessageConsumer<JsonObject> consumer;

    Topic(String feed) {
      this.feed = feed;
      this.consumer = vertx.eventBus().consumer(FeedAddresses.runs(feed), this::received);
    }

    void received(Message<JsonObject> message) {
      JsonObject body = message.body();
      String ended = message.headers().get(FeedAddresses.EVENT_HEADER);
      if (ended != null) {
        endAll(SseFrames.event(null, ended, body == null ? new JsonObject().toBuffer() : body.toBuffer()));
        return;
      }
      String id = body == null ? null : body.getString("runAt");
      if (id == null) {
        return;
      }
      Buffer frame = SseFrames.event(id, "run", body.toBuffer());
      for (Subscriber subscriber : List.copyOf(subscribers)) {
        subscriber.send(id, frame);
      }
    }

    void endAll(Buffer last) {
      for (Subscriber subscriber : List.copyOf(subscribers)) {
        subscriber.end(last);
      }
      subscribers.clear();
      drop(this);
    }
  }

  void subscribe(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (closing) {
      throw new ProblemException(Problem.of(503, "unavailable", "Service unavailable", "fanin is shutting down"));
    }
    runs.ask(FeedAddresses.GET, new JsonObject().put("name", name)).onSuccess(feed -> {
      if (!feed.getJsonObject("definition").containsKey("schedule")) {
        ctx.fail(new ProblemException(Problem.of(409, "not-scheduled", "Feed not scheduled",
            "feed " + name + " has no schedule, so it has no runs to follow")));
        return;
      }
      HttpServerResponse response = ctx.response().setChunked(true)
          .putHeader("Content-Type", "text/event-stream; charset=utf-8")
          .putHeader("Cache-Control", "no-cache")
          .putHeader("X-Accel-Buffering", "no");
      response.writeHead();
      Subscriber subscriber = new Subscriber(response, ctx.request().getHeader("Last-Event-ID"));
      Topic topic = topics.computeIfAbsent(name, Topic::new);
      topic.subscribers.add(subscriber);
      response.closeHandler(v -> {
        topic.subscribers.remove(subscriber);
        if (topic.subscribers.isEmpty()) {
          drop(topic);
        }
      });
      keepAlive();
      topic.consumer.completion()
          .compose(v -> runs.ask(FeedAddresses.RUNS, new JsonObject().put("name", name).put("after", subscriber.lastId)))
          .onComplete(ar -> replayed(subscriber, ar.succeeded() ? ar.result().getJsonArray("runs") : new JsonArray()));
    }).onFailure(ctx::fail);
  }

  /** Sends the runs a subscriber missed (or the latest), then whatever arrived meanwhile. */
  private static void replayed(Subscriber subscriber, JsonArray missed) {
    subscriber.replaying = false;
    for (Object o : missed) {
      if (o instanceof JsonObject run && run.getString("runAt") != null) {
        subscriber.send(run.getString("runAt"), SseFrames.event(run.getString("runAt"), "run", run.toBuffer()));
      }
    }
    if (subscriber.pending != null) {
      subscriber.send(subscriber.pendingId, subscriber.pending);
      subscriber.pending = null;
    }
  }

  private void drop(Topic topic) {
    if (topics.remove(topic.feed, topic)) {
      topic.consumer.unregister();
    }
    if (topics.isEmpty() && keepAlive >= 0) {
      vertx.cancelTimer(keepAlive);
      keepAlive = -1;
    }
  }

  private void keepAlive() {
    if (keepAlive >= 0) {
      return;
    }
    keepAlive = vertx.setPeriodic(KEEP_ALIVE_MS, t -> {
      for (Topic topic : topics.values()) {
        for (Subscriber subscriber : topic.subscribers) {
          if (!subscriber.response.closed() && !subscriber.response.writeQueueFull()) {
            subscriber.response.write(SseFrames.KEEP_ALIVE);
          }
        }
      }
    });
  }

  /** Shutting down: every stream gets a last event and ends now; new ones are refused. */
  Future<Void> close() {
    closing = true;
    Buffer last = SseFrames.event(null, "shutdown",
        new JsonObject().put("reason", "fanin is shutting down; reconnect to another instance or later").toBuffer());
    for (Topic topic : new ArrayList<>(topics.values())) {
      topic.endAll(last);
    }
    return Future.succeededFuture();
  }
}
