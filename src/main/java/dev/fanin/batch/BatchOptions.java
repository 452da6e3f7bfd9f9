package dev.fanin.batch;

import dev.fanin.definition.SourceFormat;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code fanin run} was asked, as given: the input (a definition file, {@code --urls FILE} or
 * {@code --feed NAME}) and each option, null when not given (the configuration fills those in, see
 * {@link RunSettings}).
 *
 * @param input the definition's file, the list's file ("-": standard input) or the feed's name
 */
public record BatchOptions(
    InputKind kind,
    String input,
    Map<String, String> params,
    Integer concurrency,
    Integer timeoutMs,
    Integer retries,
    Long deadlineMs,
    SourceFormat format,
    Double rate,
    Path out,
    boolean resume,
    ProgressMode progress,
    Path report,
    Path configFile,
    boolean help) {

  /** What the sources come from. */
  public enum InputKind { DEFINITION, URLS, FEED }

  public static final String USAGE = "usage: fanin run [options] DEFINITION.json | --urls FILE | --feed NAME [--param K=V]...";

  public static final String HELP = USAGE + "\n"
      + "Fetches every source once, through the same pipeline as the service (breakers, retries, pacing,\n"
      + "cache, body limits, feed parsing), and writes one NDJSON line per source as it completes, then a\n"
      + "summary line. No server is started.\n"
      + "\n"
      + "Input (one of):\n"
      + "  DEFINITION.json       a definition, the same JSON as POST /v1/aggregate (\"-\": standard input)\n"
      + "  --urls FILE           one URL a line (\"-\": standard input); blank lines and lines starting with #\n"
      + "                        are skipped; \"ID<TAB>URL\" names the source, otherwise its id is the line\n"
      + "                        number. Read as a stream: any number of lines. A URL seen on an earlier\n"
      + "                        line is not fetched again (the summary counts it in \"duplicates\").\n"
      + "  --feed NAME           a named feed from feeds.confDir or the data directory (feeds.dataDir)\n"
      + "  --param K=V           a parameter of the feed (repeat for more)\n"
      + "\n"
      + "Options:\n"
      + "  --concurrency N       requests in flight at most (default aggregate.defaultConcurrency, for a\n"
      + "                        definition its own concurrency)\n"
      + "  --timeout MS          each attempt's bound (default source.defaultTimeoutMs, or the source's own)\n"
      + "  --retries N           retries of a failed attempt (default source.defaultRetries, or the source's)\n"
      + "  --deadline MS         the whole run's bound (default: none for --urls, the definition's own\n"
      + "                        otherwise); sources in flight then end as timeout, later ones never start\n"
      + "  --format F            auto|json|text|feed: how bodies become data (default auto, or the source's)\n"
      + "  --rate PER_SECOND     requests a second to each origin, at most (a definition's \"rate\")\n"
      + "  --out FILE            write the results to FILE (default: standard output)\n"
      + "  --resume              with --out: FILE is the checkpoint; ids already in it are skipped and the\n"
      + "                        rest appended (a partial last line is dropped first)\n"
      + "  --progress P          auto|bar|plain|none, on standard error (default auto: a live bar when\n"
      + "                        standard error is a terminal, otherwise a plain line every 10 s)\n"
      + "  --report FILE.html    also write a self-contained HTML report of the run's timing\n"
      + "  --config FILE         the configuration file (default conf/config.json when it exists);\n"
      + "                        FANIN_* variables override it as for the server\n"
      + "  -h, --help            print this help and exit\n"
      + "\n"
      + "Output: standard output (or --out) carries only the NDJSON result lines of the HTTP stream\n"
      + "(docs/api.md) and one summary line: {\"type\":\"summary\",\"complete\",\"durationMs\",\"ok\",\"failed\",\n"
      + "\"duplicates\",\"resumed\",\"notStarted\",\"sumLatencyMs\"}. Logs and progress go to standard error.\n"
      + "The operator runs this command: its sources may reach private networks unless\n"
      + "batch.allowPrivateNetworks is false; security.clientBudget does not apply.\n"
      + "Exit codes: 0 every source (of a definition: every required source) ok; 1 some failed, or could\n"
      + "not be written; 2 usage error or invalid input (nothing fetched); 130 after Ctrl-C, 143 after\n"
      + "SIGTERM, once every result received was written. Docs: docs/operations.md, Batch runs.\n";

  /** Parses; a bad argument is a {@link UsageError}, unless --help asks for the help anyway. */
  public static BatchOptions parse(String[] args) {
    Parser p = new Parser();
    UsageError problem = null;
    for (int i = 0; i < args.length; i++) {
      try {
        i = p.read(args, i);
      } catch (UsageError e) {
        if (problem == null) {
          problem = e;
        }
      }
    }
    if (p.help) {
      return p.options();
    }
    if (problem != null) {
      throw problem;
    }
    if (p.kind == null) {
      throw new UsageError("name what to run: a definition file, --urls FILE or --feed NAME");
    }
    if (!p.params.isEmpty() && p.kind != InputKind.FEED) {
      throw new UsageError("--param applies to --feed only");
    }
    if (p.resume && p.out == null) {
      throw new UsageError("--resume needs --out FILE: the output file is the checkpoint");
    }
    return p.options();
  }

  /** The state of one parse. */
  private static final class Parser {
    InputKind kind;
    String input;
    final Map<String, String> params = new LinkedHashMap<>();
    Integer concurrency;
    Integer timeoutMs;
    Integer retries;
    Long deadlineMs;
    SourceFormat format;
    Double rate;
    Path out;
    boolean resume;
    ProgressMode progress = ProgressMode.AUTO;
    Path report;
    Path configFile;
    boolean help;

    /** Reads the argument at i (and its value); returns the index of the last argument used. */
    int read(String[] args, int i) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "-h", "--help" -> {
          help = true;
          return i;
        }
        case "--resume" -> {
          resume = true;
          return i;
        }
        default -> { }
      }
      if (!name.startsWith("-") || name.equals("-")) {
        input(InputKind.DEFINITION, arg);
        return i;
      }
      if (!VALUED.contains(name)) {
        throw new UsageError("unknown option " + name);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageError(name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "--urls" -> input(InputKind.URLS, value);
        case "--feed" -> input(InputKind.FEED, value);
        case "--param" -> param(value);
        case "--concurrency" -> concurrency = (int) number(name, value, 1, Integer.MAX_VALUE);
        case "--timeout" -> timeoutMs = (int) number(name, value, 1, Integer.MAX_VALUE);
        case "--retries" -> retries = (int) number(name, value, 0, Integer.MAX_VALUE);
        case "--deadline" -> deadlineMs = number(name, value, 1, Long.MAX_VALUE);
        case "--format" -> format = oneOf(name, value, SourceFormat.class);
        case "--rate" -> rate = rate(value);
        case "--out" -> out = file(name, value);
        case "--progress" -> progress = oneOf(name, value, ProgressMode.class);
        case "--report" -> report = file(name, value);
        case "--config" -> configFile = file(name, value);
        default -> throw new IllegalStateException(name);
      }
      return i;
    }

    private static final java.util.Set<String> VALUED = java.util.Set.of("--urls", "--feed", "--param",
        "--concurrency", "--timeout", "--retries", "--deadline", "--format", "--rate", "--out", "--progress",
        "--report", "--config");

    private void input(InputKind what, String value) {
      if (kind != null) {
        throw new UsageError("one input only: " + describe(kind, input) + " and " + describe(what, value));
      }
      if (value.isEmpty()) {
        throw new UsageError((what == InputKind.DEFINITION ? "the definition file" : "--" + what.name()
            .toLowerCase(Locale.ROOT)) + " needs a name");
      }
      kind = what;
      input = value;
    }

    private static String describe(InputKind kind, String value) {
      return switch (kind) {
        case DEFINITION -> value;
        case URLS -> "--urls " + value;
        case FEED -> "--feed " + value;
      };
    }

    private void param(String value) {
      int eq = value.indexOf('=');
      if (eq <= 0) {
        throw new UsageError("--param needs NAME=VALUE, not " + value);
      }
      params.put(value.substring(0, eq), value.substring(eq + 1));
    }

    private static long number(String name, String value, long min, long max) {
      try {
        long n = Long.parseLong(value);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new UsageError(name + " must be a whole number" + (min > 0 ? " of at least " + min : " from " + min)
          + ", not " + value);
    }

    private static double rate(String value) {
      try {
        double d = Double.parseDouble(value);
        if (d > 0 && d <= 100_000 && Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new UsageError("--rate must be requests a second above 0 and at most 100000, not " + value);
    }

    private static <E extends Enum<E>> E oneOf(String name, String value, Class<E> type) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(value)) {
          return e;
        }
      }
      StringBuilder names = new StringBuilder();
      for (E e : type.getEnumConstants()) {
        names.append(names.length() == 0 ? "" : "|").append(e.name().toLowerCase(Locale.ROOT));
      }
      throw new UsageError(name + " must be " + names + ", not " + value);
    }

    private static Path file(String name, String value) {
      if (value.isEmpty()) {
        throw new UsageError(name + " needs a file name");
      }
      return Path.of(value);
    }

    BatchOptions options() {
      return new BatchOptions(kind, input, Map.copyOf(params), concurrency, timeoutMs, retries, deadlineMs, format,
          rate, out, resume, progress, report, configFile, help);
    }
  }
}
