package dev.fanin.batch;

import dev.fanin.definition.DefinitionParser;
import dev.fanin.definition.SourceSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The second reading of a checked {@link UrlList}: its sources a few at a time, less the URLs seen
 * on an earlier line (fetched once: counted as duplicates) and the ids a resumed run finished
 * before (counted as resumed). Remembers a hash of each URL, nothing else. Called from one thread at
 * a time (blocking file reads, off the event loop); the counters may be read from any thread.
 */
final class UrlSources implements AutoCloseable {
  private final LineReader lines;
  private final String label;
  private final DefinitionParser parser;
  private final RunSettings settings;
  private final LongSet done;
  private final LongSet urls;
  private volatile long duplicates;
  private volatile long resumed;
  private boolean ended;

  /** @param done the ids a resumed run skips (hashes), or an empty set */
  UrlSources(UrlList list, DefinitionParser parser, RunSettings settings, LongSet done) throws IOException {
    this.lines = UrlList.reader(list.file(), list.label());
    this.label = list.label();
    this.parser = parser;
    this.settings = settings;
    this.done = done;
    this.urls = new LongSet((int) Math.min(1 << 24, list.sources()));
  }

  /** Up to max more sources to fetch; an empty list at the end. */
  List<SourceSpec> next(int max) throws IOException {
    List<SourceSpec> out = new ArrayList<>(Math.min(max, 1024));
    while (!ended && out.size() < max) {
      String text = lines.next();
      if (text == null) {
        ended = true;
        break;
      }
      UrlLine line = UrlLine.parse(text, lines.lineNumber());
      if (line == null) {
        continue;
      }
      boolean first = urls.add(Hashes.of(line.url()));
      if (done.contains(Hashes.of(line.id()))) {
        resumed++;
      } else if (!first) {
        duplicates++;
      } else {
        out.add(settings.apply(UrlList.source(parser, line, label, lines.lineNumber())));
      }
    }
    return out;
  }

  /** Lines skipped because their URL came on an earlier line. */
  long duplicates() {
    return duplicates;
  }

  /** Lines skipped because the checkpoint has their id. */
  long resumed() {
    return resumed;
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
