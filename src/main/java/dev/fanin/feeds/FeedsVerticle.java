package dev.fanin.feeds;

import dev.fanin.aggregate.Aggregator;
import dev.fanin.definition.InvalidDefinitionException;
import dev.fanin.definition.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed registry: one instance per process, so every change is ordered on one event loop.
 * Loads operator feeds (read-only) and persisted feeds at start, serves the fanin.feeds.*
 * addresses, persists every accepted change before acknowledging it, and runs the schedules.
 */
public final class FeedsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(FeedsVerticle.class);
  private final FeedDefinitionParser parser;
  private final Path confDir;
  private final Path dataDir;
  private final int maxFeeds;
  private final Function<io.vertx.core.Vertx, Aggregator> aggregatorFactory;
  private final Map<String, Feed> feeds = new TreeMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private FeedStore store;
  private FeedScheduler scheduler;
  private Future<?> writes = Future.succeededFuture();

  public FeedsVerticle(FeedDefinitionParser parser, Path confDir, Path dataDir, int maxFeeds,
      Function<io.vertx.core.Vertx, Aggregator> aggregatorFactory) {
    this.parser = parser;
    this.confDir = confDir;
    this.dataDir = dataDir;
    this.maxFeeds = maxFeeds;
    this.aggregatorFactory = aggregatorFactory;
  }

  @Override
  public Future<?> start() {
    store = new FeedStore(vertx, dataDir);
    scheduler = new FeedScheduler(vertx, aggregatorFactory.apply(vertx), parser);
    return loadConfFeeds()
        .compose(v -> store.open())
        .compose(v -> loadStoredFeeds())
        .compose(v -> {
          feeds.values().forEach(scheduler::apply);
          EventBus bus = vertx.eventBus();
          consumers.add(bus.<JsonObject>consumer(FeedAddresses.PUT, m -> handle(m, this::put)));
          consumers.add(bus.<JsonObject>consumer(FeedAddresses.GET, m -> handle(m, this::get)));
          consumers.add(bus.<JsonObject>consumer(FeedAddresses.LIST, m -> handle(m, this::list)));
          consumers.add(bus.<JsonObject>consumer(FeedAddresses.DELETE, m -> handle(m, this::delete)));
          consumers.add(bus.<JsonObject>consumer(FeedAddresses.LATEST, m -> handle(m, this::latest)));
          List<Future<Void>> ready = new ArrayList<>();
          consumers.forEach(c -> ready.add(c.completion()));
          LOG.info("feed registry: {} feeds ({} read-only), data in {}", feeds.size(),
              feeds.values().stream().filter(Feed::readOnly).count(), store.dir());
          return Future.all(ready);
        });
  }

  @Override
  public Future<?> stop() {
    if (scheduler != null) {
      scheduler.stopAll();
    }
    return writes.otherwiseEmpty();
  }

  private Future<Void> loadConfFeeds() {
    if (!Files.isDirectory(confDir)) {
      return Future.succeededFuture();
    }
    return vertx.fileSystem().readDir(confDir.toString(), ".*\\.json$")
        .compose(files -> loadAll(files, true));
  }

  private Future<Void> loadStoredFeeds() {
    return store.list().compose(files -> loadAll(files, false));
  }

  private Future<Void> loadAll(List<String> files, boolean readOnly) {
    Future<Void> chain = Future.succeededFuture();
    for (String file : files.stream().sorted().toList()) {
      chain = chain.compose(v -> vertx.fileSystem().readFile(file).compose(content -> {
        String fileName = Path.of(file).getFileName().toString();
        String name = fileName.substring(0, fileName.length() - FeedStore.SUFFIX.length());
        Feed feed;
        try {
          feed = parser.parse(name, StrictJson.parseObject(content), readOnly);
        } catch (InvalidDefinitionException e) {
          return Future.failedFuture(new FeedLoadException(file, e.getMessage()));
        }
        Feed existing = feeds.get(name);
        if (existing != null && existing.readOnly()) {
          LOG.warn("ignoring stored feed {}: a read-only feed of that name is configured in {}", file, confDir);
        } else {
          feeds.put(name, feed);
        }
        return Future.succeededFuture();
      }));
    }
    return chain;
  }

  private void handle(Message<JsonObject> message, Function<JsonObject, Future<JsonObject>> op) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    Future<JsonObject> result;
    try {
      result = op.apply(body);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else if (ar.cause() instanceof FeedException fe) {
        message.fail(fe.status(), fe.getMessage());
      } else if (ar.cause() instanceof InvalidDefinitionException ide) {
        message.fail(400, ide.getMessage());
      } else {
        LOG.error("feed registry failure", ar.cause());
        message.fail(500, "the feed registry failed: " + ar.cause().getMessage());
      }
    });
  }

  private static String name(JsonObject body) {
    Object name = body.getValue("name");
    if (!(name instanceof String s) || !FeedDefinitionParser.NAME.matcher(s).matches()) {
      throw new FeedException(400, "name must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' or '-'");
    }
    return s;
  }

  private Feed existing(String name) {
    Feed feed = feeds.get(name);
    if (feed == null) {
      throw new FeedException(404, "no feed named " + name);
    }
    return feed;
  }

  private Future<JsonObject> get(JsonObject body) {
    return Future.succeededFuture(existing(name(body)).toJson());
  }

  private Future<JsonObject> list(JsonObject body) {
    JsonArray list = new JsonArray();
    feeds.values().forEach(f -> list.add(f.summaryJson()));
    return Future.succeededFuture(new JsonObject().put("feeds", list));
  }

  private Future<JsonObject> latest(JsonObject body) {
    String name = name(body);
    existing(name);
    JsonObject run = scheduler.latest(name);
    if (run == null) {
      throw new FeedException(404, "feed " + name + " has no completed scheduled run yet");
    }
    return Future.succeededFuture(run);
  }

  /** Changes are chained so that each one's checks see every earlier change already applied. */
  private Future<JsonObject> serialized(java.util.function.Supplier<Future<JsonObject>> change) {
    Promise<JsonObject> done = Promise.promise();
    writes = writes.transform(ignored -> {
      Future<JsonObject> f;
      try {
        f = change.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      return f.onComplete(done);
    });
    return done.future();
  }

  private Future<JsonObject> put(JsonObject body) {
    String name = name(body);
    if (!(body.getValue("definition") instanceof JsonObject definition)) {
      throw new FeedException(400, "definition must be a JSON object");
    }
    String ifMatch = body.getString("ifMatch");
    Feed feed = parser.parse(name, definition, false);
    return serialized(() -> {
      Feed old = feeds.get(name);
      checkWritable(name, old, ifMatch);
      if (old == null && feeds.size() >= maxFeeds) {
        throw new FeedException(409, "the registry holds its maximum of " + maxFeeds + " feeds");
      }
      Buffer content = Buffer.buffer(definition.encodePrettily());
      return store.write(name, content).map(v -> {
        feeds.put(name, feed);
        scheduler.apply(feed);
        return new JsonObject().put("created", old == null).put("feed", feed.toJson());
      });
    });
  }

  private Future<JsonObject> delete(JsonObject body) {
    String name = name(body);
    String ifMatch = body.getString("ifMatch");
    return serialized(() -> {
      Feed old = feeds.get(name);
      checkWritable(name, old, ifMatch);
      if (old == null) {
        throw new FeedException(404, "no feed named " + name);
      }
      return store.delete(name).map(v -> {
        feeds.remove(name);
        scheduler.remove(name);
        return new JsonObject().put("deleted", name);
      });
    });
  }

  private static void checkWritable(String name, Feed old, String ifMatch) {
    if (old != null && old.readOnly()) {
      throw new FeedException(409, "feed " + name + " is configured by the operator and read-only");
    }
    if (ifMatch != null && !matches(ifMatch, old)) {
      throw new FeedException(412, "If-Match " + ifMatch + " does not match the current version of feed " + name);
    }
  }

  private static boolean matches(String ifMatch, Feed current) {
    if (current == null) {
      return false;
    }
    if (ifMatch.trim().equals("*")) {
      return true;
    }
    for (String tag : ifMatch.split(",")) {
      // strong comparison (RFC 9110 §13.1.1): a weak tag never matches
      if (tag.trim().equals(current.etag())) {
        return true;
      }
    }
    return false;
  }

  /** A feed file that does not load; stops the start naming the file and the field. */
  public static final class FeedLoadException extends RuntimeException {
    public FeedLoadException(String file, String problem) {
      super("invalid feed " + file + ": " + problem, null, false, false);
    }
  }
}
