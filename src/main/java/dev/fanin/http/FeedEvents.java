package dev.fanin.http;

import dev.fanin.feeds.FeedAddresses;
import dev.fanin.feeds.FeedRunHub;
import dev.fanin.feeds.FeedRuns;
import dev.fanin.feeds.RecentRuns;
import dev.fanin.write.Outbox;
import dev.fanin.write.SseFrames;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.vertx.core.http.HttpMethod;
import java.util.function.LongSupplier;

/**
 * GET /v1/feeds/{name}/events for one intake event loop: the Server-Sent Events of scheduled feeds.
 * This loop follows a feed's runs through the process's {@link FeedRunHub} while it has subscribers
 * to it; each run is framed once, and the same bytes are written to every subscriber here. Each
 * event's id is its run's runAt: a client that reconnects with Last-Event-ID gets the runs it missed
 * while the feed still remembers them. Streams end with an event when the feed is deleted or loses
 * its schedule, and when fanin shuts down (they never end by themselves, so they must not hold the
 * shutdown). A subscriber too slow to take a run misses it rather than growing fanin's memory, and
 * subscribers are bounded per feed and per process.
 */
final class FeedEvents {
  private static final long KEEP_ALIVE_MS = 15_000;
  private final Vertx vertx;
  private final FeedRuns runs;
  private final FeedRunHub hub;
  private final LongSupplier stallMs;
  private final Map<String, Topic> topics = new HashMap<>();
  private final Context context;
  private long keepAlive = -1;
  private boolean closing;

  FeedEvents(Vertx vertx, FeedRuns runs, FeedRunHub hub, LongSupplier stallMs) {
    this.stallMs = stallMs;
    this.vertx = vertx;
    this.runs = runs;
    this.hub = hub;
    this.context = vertx.getOrCreateContext();
  }

  /** One client's stream, written with backpressure: a run it cannot take yet, it misses. */
  private static final class Subscriber {
    final HttpServerResponse response;
    final Outbox outbox;
    String lastId;

    Subscriber(HttpServerResponse response, Outbox outbox, String lastId) {
      this.response = response;
      this.outbox = outbox;
      this.lastId = lastId;
    }

    void send(String id, Buffer frame) {
      if (response.closed() || id.equals(lastId) || outbox.busy()) {
        return;
      }
      lastId = id;
      outbox.send(frame);
    }

    /** Ends the stream with a last event; one still busy with an earlier run is closed at once. */
    void end(Buffer last) {
      if (response.closed()) {
        return;
      }
      if (outbox.busy()) {
        response.reset();
      } else {
        outbox.end(last);
      }
    }
  }

  /** The subscribers of one feed on this loop, following its runs. */
  private final class Topic implements FeedRunHub.Follower {
    final String feed;
    final Set<Subscriber> subscribers = new LinkedHashSet<>();

    Topic(String feed) {
      this.feed = feed;
      hub.follow(feed, this);
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public void run(String id, Buffer json) {
      Buffer frame = SseFrames.event(id, "run", json);
      for (Subscriber subscriber : List.copyOf(subscribers)) {
        subscriber.send(id, frame);
      }
    }

    @Override
    public void ended(String why) {
      endAll(SseFrames.event(null, why, new JsonObject().put("feed", feed).put("event", why).toBuffer()));
    }

    void endAll(Buffer last) {
      for (Subscriber subscriber : List.copyOf(subscribers)) {
        subscriber.end(last);
      }
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
      if (ctx.request().method() == HttpMethod.HEAD) {
        // the head of the stream is the whole answer: nothing would ever end it
        ctx.response().putHeader("Content-Type", "text/event-stream; charset=utf-8")
            .putHeader("Cache-Control", "no-cache").end();
        return;
      }
      String full = hub.join(name);
      if (full != null) {
        ctx.response().putHeader("Retry-After", "10");
        ctx.fail(new ProblemException(Problem.of(503, "too-many-subscribers", "Too many subscribers", full)));
        return;
      }
      HttpServerResponse response = ctx.response().setChunked(true)
          .putHeader("Content-Type", "text/event-stream; charset=utf-8")
          .putHeader("Cache-Control", "no-cache")
          .putHeader("X-Accel-Buffering", "no");
      response.writeHead();
      Subscriber subscriber = new Subscriber(response, new Outbox(vertx, response, stallMs.getAsLong()),
          ctx.request().getHeader("Last-Event-ID"));
      Topic topic = topics.computeIfAbsent(name, Topic::new);
      topic.subscribers.add(subscriber);
      // ended by fanin (end handler) or by the client (close handler): counted out once
      Runnable gone = () -> {
        if (topic.subscribers.remove(subscriber)) {
          hub.leave(name);
          if (topic.subscribers.isEmpty()) {
            drop(topic);
          }
        }
      };
      response.endHandler(v -> gone.run());
      response.closeHandler(v -> gone.run());
      keepAlive();
      // what it missed, or the latest run, queued whole; a run published meanwhile comes after it
      for (RecentRuns.Run run : hub.after(name, subscriber.lastId)) {
        subscriber.lastId = run.id();
        subscriber.outbox.send(SseFrames.event(run.id(), "run", run.json()));
      }
    }).onFailure(ctx::fail);
  }

  private void drop(Topic topic) {
    if (topics.remove(topic.feed, topic)) {
      hub.unfollow(topic.feed, topic);
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
          if (!subscriber.response.closed() && !subscriber.outbox.busy()) {
            subscriber.outbox.send(SseFrames.KEEP_ALIVE);
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
