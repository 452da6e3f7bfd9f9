package dev.fanin.testing;

import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.FetchException;
import dev.fanin.fetch.FetchRequest;
import dev.fanin.fetch.FetchResponse;
import dev.fanin.fetch.Fetcher;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The inner end of a fetch decorator under test: answers call n with step n (the last step
 * repeats) and keeps every request it was asked, in order.
 */
public final class ScriptedFetcher implements Fetcher {
  private final List<Function<FetchRequest, Future<FetchResponse>>> steps;
  private final List<FetchRequest> requests = new CopyOnWriteArrayList<>();

  @SafeVarargs
  public ScriptedFetcher(Function<FetchRequest, Future<FetchResponse>>... steps) {
    this.steps = List.of(steps);
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    // counted once its step has run: a test that sees the call sees what the step left (a held promise)
    Future<FetchResponse> answer = steps.get(Math.min(requests.size() + 1, steps.size()) - 1).apply(request);
    requests.add(request);
    return answer;
  }

  public int calls() {
    return requests.size();
  }

  public FetchRequest request(int index) {
    return requests.get(index);
  }

  public FetchRequest last() {
    return requests.get(requests.size() - 1);
  }

  /** Answers with this status, the body "body {status}" and these headers (name, value, name, value…). */
  public static Function<FetchRequest, Future<FetchResponse>> status(int code, String... headerPairs) {
    return answer(code, "body " + code, headerPairs);
  }

  /** Answers with this status, body and headers (name, value, name, value…). */
  public static Function<FetchRequest, Future<FetchResponse>> answer(int code, String body, String... headerPairs) {
    return r -> {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      for (int i = 0; i < headerPairs.length; i += 2) {
        headers.add(headerPairs[i], headerPairs[i + 1]);
      }
      return Future.succeededFuture(new FetchResponse(code, headers, Buffer.buffer(body)));
    };
  }

  /** Fails with a FetchException of this kind. */
  public static Function<FetchRequest, Future<FetchResponse>> failing(ErrorKind kind) {
    return r -> Future.failedFuture(new FetchException(kind, kind.wireName()));
  }

  /** Answers only when the test completes the promise it leaves in {@code into}. */
  public static Function<FetchRequest, Future<FetchResponse>> held(Queue<Promise<FetchResponse>> into) {
    return r -> {
      Promise<FetchResponse> p = Promise.promise();
      into.add(p);
      return p.future();
    };
  }

  /** A queue for {@link #held}: promises arrive from event loops and are read by the test's thread. */
  public static Queue<Promise<FetchResponse>> promises() {
    return new ConcurrentLinkedQueue<>();
  }
}
