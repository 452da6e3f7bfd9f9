package dev.fanin.feeds;

import dev.fanin.definition.AggregationSpec;
import dev.fanin.definition.InvalidDefinitionException;
import dev.fanin.definition.StrictJson;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One named feed read straight from this node's disk, without the registry, its schedules or the
 * cluster (a batch run, {@code fanin run --feed NAME}): the operator's feed in feeds.confDir wins,
 * as it does in the registry, else the record the API stored in the data directory. Blocking: for
 * a command's main thread, before Vert.x runs.
 */
public final class FeedFiles {
  private final FeedDefinitionParser parser;
  private final Path confDir;
  private final Path storeDir;

  public FeedFiles(FeedDefinitionParser parser, Path confDir, Path dataDir) {
    this.parser = parser;
    this.confDir = confDir;
    this.storeDir = dataDir.resolve("feeds");
  }

  /**
   * The aggregation the feed stands for with these parameters. Throws {@link FeedException}
   * (NOT_FOUND, INVALID) when there is no such feed or its file does not load, and
   * {@link InvalidDefinitionException} for parameters it refuses (pointers /params/NAME).
   */
  public AggregationSpec resolve(String name, Map<String, String> params) {
    if (name == null || !FeedDefinitionParser.NAME.matcher(name).matches()) {
      throw new FeedException(FeedException.Reason.INVALID, "feed name: " + FeedDefinitionParser.NAME_RULE);
    }
    Path operator = confDir.resolve(name + FeedStore.SUFFIX);
    Path stored = storeDir.resolve(name + FeedStore.SUFFIX);
    Feed feed;
    if (Files.isRegularFile(operator)) {
      feed = parse(operator, name, true);
    } else if (Files.isRegularFile(stored)) {
      feed = parse(stored, name, false);
    } else {
      throw new FeedException(FeedException.Reason.NOT_FOUND, "no feed " + name + " in " + confDir + " or " + storeDir);
    }
    return parser.resolve(feed, params);
  }

  private Feed parse(Path file, String name, boolean readOnly) {
    try {
      Buffer content = Buffer.buffer(Files.readAllBytes(file));
      if (readOnly) {
        return parser.parse(name, StrictJson.parseObject(content), true);
      }
      FeedRecord record = FeedRecord.fromFile(name, StrictJson.parseObject(content));
      if (record.deleted()) {
        throw new FeedException(FeedException.Reason.NOT_FOUND, "feed " + name + " was deleted (" + file + ")");
      }
      return parser.parse(name, record.definition(), false);
    } catch (IOException e) {
      throw new FeedException(FeedException.Reason.INVALID, "cannot read " + file + ": " + e.getMessage());
    } catch (InvalidDefinitionException | IllegalArgumentException e) {
      throw new FeedException(FeedException.Reason.INVALID, "invalid feed " + file + ": " + e.getMessage());
    }
  }
}
