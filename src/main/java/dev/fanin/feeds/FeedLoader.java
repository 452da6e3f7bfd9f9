package dev.fanin.feeds;

import dev.fanin.definition.InvalidDefinitionException;
import dev.fanin.definition.StrictJson;
import dev.fanin.feeds.FeedsVerticle.FeedLoadException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the registry when a node starts: the operator's feeds from feeds.confDir (read-only), the
 * records on this node's disk, both offered to the shared map (the newer version wins; operator
 * feeds replace what the map holds under their names), then whatever the map holds is adopted.
 * A file that does not load stops the start with a {@link FeedLoadException} naming it.
 */
final class FeedLoader {
  private static final Logger LOG = LoggerFactory.getLogger(FeedLoader.class);
  private final Vertx vertx;
  private final FeedDefinitionParser parser;
  private final Path confDir;
  private final FeedStore store;
  private final LocalFeeds local;
  private final FeedReplication replication;

  FeedLoader(Vertx vertx, FeedDefinitionParser parser, Path confDir, FeedStore store, LocalFeeds local,
      FeedReplication replication) {
    this.vertx = vertx;
    this.parser = parser;
    this.confDir = confDir;
    this.store = store;
    this.local = local;
    this.replication = replication;
  }

  Future<Void> load() {
    Map<String, Feed> conf = new TreeMap<>();
    Map<String, FeedRecord> disk = new TreeMap<>();
    return loadConfFeeds(conf)
        .compose(v -> store.open())
        .compose(v -> loadStoredRecords(disk, conf))
        .compose(v -> ChangeQueue.inOrder(disk.values(), replication::offer))
        .compose(v -> ChangeQueue.inOrder(conf.values(),
            feed -> replication.offer(FeedRecord.live(feed.name(), null, feed.definition(), true))))
        .compose(v -> replication.adoptAll());
  }

  private Future<Void> loadConfFeeds(Map<String, Feed> conf) {
    if (!Files.isDirectory(confDir)) {
      return Future.succeededFuture();
    }
    return vertx.fileSystem().readDir(confDir.toString(), ".*\\.json$")
        .compose(files -> ChangeQueue.inOrder(files.stream().sorted().toList(), file ->
            vertx.fileSystem().readFile(file).compose(content -> {
              String name = baseName(file);
              try {
                Feed feed = parser.parse(name, StrictJson.parseObject(content), true);
                conf.put(name, feed);
                local.remember(feed);
              } catch (InvalidDefinitionException e) {
                return Future.failedFuture(new FeedLoadException(file, e.getMessage()));
              }
              return Future.succeededFuture();
            })));
  }

  private Future<Void> loadStoredRecords(Map<String, FeedRecord> disk, Map<String, Feed> conf) {
    return store.list().compose(files -> ChangeQueue.inOrder(files.stream().sorted().toList(), file ->
        store.read(file).compose(content -> {
          String name = baseName(file);
          FeedRecord record;
          Feed feed = null;
          try {
            record = FeedRecord.fromFile(name, StrictJson.parseObject(content));
            if (!record.deleted()) {
              feed = parser.parse(name, record.definition(), false);
            }
          } catch (RuntimeException e) {
            return Future.failedFuture(new FeedLoadException(file, e.getMessage()));
          }
          if (conf.containsKey(name)) {
            LOG.warn("ignoring stored feed {}: a read-only feed of that name is configured in {}", file, confDir);
          } else {
            disk.put(name, record);
            local.loaded(record);
            if (feed != null) {
              local.remember(feed);
            }
          }
          return Future.succeededFuture();
        })));
  }

  private static String baseName(String file) {
    String fileName = Path.of(file).getFileName().toString();
    return fileName.substring(0, fileName.length() - FeedStore.SUFFIX.length());
  }
}
