package dev.fanin.batch;

/**
 * A command line or an input that cannot run: one line naming the option, or the file and line, or
 * the JSON Pointer. Exit code 2, and nothing was fetched.
 */
public final class UsageError extends RuntimeException {
  public UsageError(String problem) {
    super(problem, null, false, false);
  }
}
