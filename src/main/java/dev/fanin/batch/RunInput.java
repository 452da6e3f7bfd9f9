package dev.fanin.batch;

import dev.fanin.config.FaninConfig;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.definition.CompletionSpec;
import dev.fanin.definition.DefinitionParser;
import dev.fanin.definition.InvalidDefinitionException;
import dev.fanin.definition.SourceSpec;
import dev.fanin.definition.StrictJson;
import dev.fanin.feeds.FeedDefinitionParser;
import dev.fanin.feeds.FeedException;
import dev.fanin.feeds.FeedFiles;
import dev.fanin.policy.DemoHosts;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run reads, checked before anything is fetched: a definition or a named feed (one
 * aggregation, with the options applied), or a list of URLs (streamed). Errors are usage errors
 * naming the file and the JSON Pointer, or the file and the line.
 */
final class RunInput implements AutoCloseable {
  private final String label;
  private final String feedName;
  private final AggregationSpec spec;
  private final UrlList urls;
  private final long total;
  private final long resumed;
  private final boolean requiredFailedBefore;

  private RunInput(String label, String feedName, AggregationSpec spec, UrlList urls, long total, long resumed,
      boolean requiredFailedBefore) {
    this.label = label;
    this.feedName = feedName;
    this.spec = spec;
    this.urls = urls;
    this.total = total;
    this.resumed = resumed;
    this.requiredFailedBefore = requiredFailedBefore;
  }

  static RunInput read(BatchOptions options, FaninConfig config, RunSettings settings, DefinitionParser parser,
      InputStream stdin) {
    boolean operator = config.batch().allowPrivateNetworks();
    return switch (options.kind()) {
      case URLS -> {
        UrlList list = UrlList.open(options.input(), stdin, parser);
        yield new RunInput(list.label(), null, null, list, list.sources(), 0, false);
      }
      case DEFINITION -> {
        String label = options.input().equals("-") ? "standard input" : options.input();
        AggregationSpec spec = settings.apply(definition(options.input(), label, stdin, parser), label);
        spec = spec.withTrusted(spec.trusted() || operator);
        yield new RunInput(label, null, spec, null, spec.sources().size(), 0, false);
      }
      case FEED -> {
        String label = "--feed " + options.input();
        AggregationSpec spec = settings.apply(feed(options, config, parser, label), label);
        spec = spec.withTrusted(spec.trusted() || operator);
        yield new RunInput(label, options.input(), spec, null, spec.sources().size(), 0, false);
      }
    };
  }

  private static AggregationSpec definition(String name, String label, InputStream stdin, DefinitionParser parser) {
    Buffer content;
    try {
      content = Buffer.buffer(name.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(name)));
    } catch (NoSuchFileException e) {
      throw new UsageError(name + ": no such file");
    } catch (IOException e) {
      throw new UsageError(label + ": cannot read: " + e.getMessage());
    }
    try {
      return parser.parse(StrictJson.parseObject(content));
    } catch (InvalidDefinitionException e) {
      throw new UsageError(label + ": " + e.getMessage());
    }
  }

  private static AggregationSpec feed(BatchOptions options, FaninConfig config, DefinitionParser parser,
      String label) {
    FeedFiles feeds = new FeedFiles(new FeedDefinitionParser(parser, config.feeds()), Path.of(config.feeds().confDir()),
        Path.of(config.feeds().dataDir()));
    try {
      return feeds.resolve(options.input(), options.params());
    } catch (FeedException | InvalidDefinitionException e) {
      throw new UsageError(label + ": " + e.getMessage());
    }
  }

  /**
   * The input less what a checkpoint holds: a definition's sources already in it are not run again
   * (a URL list skips them as it reads).
   */
  RunInput resumedFrom(Checkpoint checkpoint) {
    if (spec == null || checkpoint.results() == 0) {
      return this;
    }
    if (spec.sources().stream().anyMatch(s -> s.template() != null)) {
      // a source left to run may wait for one already written, whose answer is not kept
      throw new UsageError(label + ": its sources use other sources' results ({sources.…}), so a run of it cannot be"
          + " resumed: run it again without --resume");
    }
    List<SourceSpec> left = new ArrayList<>();
    boolean failedBefore = false;
    for (SourceSpec s : spec.sources()) {
      if (!checkpoint.done().contains(Hashes.of(s.id()))) {
        left.add(s);
      } else if (!s.optional() && checkpoint.failed(s.id())) {
        failedBefore = true;
      }
    }
    // what a resumed run has left runs to its end: the results a policy would count are partly in the file
    CompletionSpec complete = left.size() == spec.sources().size() ? spec.complete() : CompletionSpec.ALL;
    AggregationSpec rest = new AggregationSpec(List.copyOf(left), spec.deadlineMs(), spec.concurrency(), spec.merge(),
        spec.trusted(), spec.rate(), complete);
    return new RunInput(label, feedName, rest, null, total, total - left.size(), failedBefore);
  }

  /** How messages name the input. */
  String label() {
    return label;
  }

  /** The feed's name (--feed), else null. */
  String feedName() {
    return feedName;
  }

  /** The aggregation to run (a definition or a feed), else null. */
  AggregationSpec spec() {
    return spec;
  }

  /** The list to stream (--urls), else null. */
  UrlList urls() {
    return urls;
  }

  /** Sources in the input, duplicates and resumed ones included. */
  long total() {
    return total;
  }

  /** A definition's sources that the checkpoint holds already. */
  long resumed() {
    return resumed;
  }

  /** A required source of the definition failed in the checkpoint. */
  boolean requiredFailedBefore() {
    return requiredFailedBefore;
  }

  boolean usesDemo() {
    if (urls != null) {
      return urls.usesDemo();
    }
    for (SourceSpec s : spec.sources()) {
      if (DemoHosts.isDemoName(s.url().getHost())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    if (urls != null) {
      urls.close();
    }
  }
}
