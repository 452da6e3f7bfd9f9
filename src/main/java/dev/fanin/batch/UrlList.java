package dev.fanin.batch;

import dev.fanin.definition.DefinitionParser;
import dev.fanin.definition.InvalidDefinitionException;
import dev.fanin.definition.SourceSpec;
import dev.fanin.policy.DemoHosts;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A list of URLs ({@code run --urls FILE}), checked whole before anything is fetched (every URL and
 * id valid, no id twice), so that a bad line 900,000 stops the run at once, then read again as a
 * stream by {@link UrlSources}. Standard input is copied to a temporary file first, for the second
 * reading. The check holds only a hash of each id.
 */
final class UrlList implements AutoCloseable {
  private final Path file;
  private final String label;
  private final boolean temporary;
  private final long sources;
  private final boolean usesDemo;

  private UrlList(Path file, String label, boolean temporary, long sources, boolean usesDemo) {
    this.file = file;
    this.label = label;
    this.temporary = temporary;
    this.sources = sources;
    this.usesDemo = usesDemo;
  }

  /**
   * Checks the list; a {@link UsageError} names the file and line of the first problem.
   *
   * @param name the file, or "-" for standard input
   */
  static UrlList open(String name, InputStream stdin, DefinitionParser parser) {
    Path file;
    String label;
    boolean temporary = name.equals("-");
    try {
      if (temporary) {
        label = "standard input";
        file = Files.createTempFile("fanin-run-", ".urls");
        file.toFile().deleteOnExit();
        Files.copy(stdin, file, StandardCopyOption.REPLACE_EXISTING);
      } else {
        label = name;
        file = Path.of(name);
      }
      return check(file, label, temporary, parser);
    } catch (NoSuchFileException e) {
      throw new UsageError(name + ": no such file");
    } catch (IOException e) {
      throw new UsageError((temporary ? "standard input" : name) + ": cannot read: " + e.getMessage());
    }
  }

  private static UrlList check(Path file, String label, boolean temporary, DefinitionParser parser)
      throws IOException {
    LongSet ids = new LongSet();
    long sources = 0;
    boolean usesDemo = false;
    try (LineReader lines = reader(file, label)) {
      for (String text = lines.next(); text != null; text = lines.next()) {
        UrlLine line = UrlLine.parse(text, lines.lineNumber());
        if (line == null) {
          continue;
        }
        SourceSpec source = source(parser, line, label, lines.lineNumber());
        if (!ids.add(Hashes.of(line.id()))) {
          throw new UsageError(label + ":" + lines.lineNumber() + ": the id " + line.id()
              + " is already the id of an earlier line (ids are the line's number unless \"ID<TAB>URL\" names one)");
        }
        usesDemo |= DemoHosts.isDemoName(source.url().getHost());
        sources++;
      }
    }
    if (sources == 0) {
      throw new UsageError(label + ": no URLs (blank lines and lines starting with # are skipped)");
    }
    return new UrlList(file, label, temporary, sources, usesDemo);
  }

  /** The source of a line, or a usage error naming the file and the line. */
  static SourceSpec source(DefinitionParser parser, UrlLine line, String label, long number) {
    try {
      return parser.source(line.id(), line.url());
    } catch (InvalidDefinitionException e) {
      throw new UsageError(label + ":" + number + ": " + e.getMessage());
    }
  }

  static LineReader reader(Path file, String label) throws IOException {
    InputStream in = Files.newInputStream(file);
    return new LineReader(new InputStreamReader(in, StandardCharsets.UTF_8), UrlLine.MAX_CHARS, label);
  }

  Path file() {
    return file;
  }

  String label() {
    return label;
  }

  /** Lines that name a source (duplicates included). */
  long sources() {
    return sources;
  }

  /** Whether some URL names the demo upstream (which then has to run). */
  boolean usesDemo() {
    return usesDemo;
  }

  @Override
  public void close() {
    if (temporary) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
