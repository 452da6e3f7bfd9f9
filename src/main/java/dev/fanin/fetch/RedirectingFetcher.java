package dev.fanin.fetch;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.util.Set;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Follows redirects itself (the HTTP client follows none), at most a configured number of hops,
 * each hop going down the whole pipeline again, so the SSRF guard checks every hop. 303, and 301
 * or 302 after a POST, become GET without a body; credentials (Authorization, Cookie,
 * Proxy-Authorization and the operator's cache.credentialHeaders) are not sent to another origin.
 */
public final class RedirectingFetcher implements Fetcher {
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization");
  private final Fetcher next;
  private final IntSupplier maxRedirects;
  private final Supplier<List<String>> credentialHeaders;

  public RedirectingFetcher(Fetcher next, IntSupplier maxRedirects) {
    this(next, maxRedirects, List::of);
  }

  /** @param credentialHeaders more request headers that carry credentials (cache.credentialHeaders) */
  public RedirectingFetcher(Fetcher next, IntSupplier maxRedirects,
      Supplier<List<String>> credentialHeaders) {
    this.next = next;
    this.maxRedirects = maxRedirects;
    this.credentialHeaders = credentialHeaders;
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    return hop(request, 0);
  }

  private Future<FetchResponse> hop(FetchRequest request, int hops) {
    int maxRedirects = this.maxRedirects.getAsInt();
    return next.fetch(request).compose(response -> {
      String location = response.headers().get("Location");
      if (!REDIRECTS.contains(response.status()) || location == null || maxRedirects == 0) {
        return Future.succeededFuture(response);
      }
      if (hops >= maxRedirects) {
        return Future.succeededFuture(response.withNote("stopped after " + maxRedirects + " redirects"));
      }
      URI target;
      try {
        target = request.url().resolve(location.trim());
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new FetchException(ErrorKind.REJECTED,
            "redirect to an invalid Location: " + location));
      }
      String scheme = target.getScheme();
      if (target.getHost() == null || scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        return Future.failedFuture(new FetchException(ErrorKind.REJECTED,
            "redirect to a location that is not an http or https URL: " + location));
      }
      return hop(redirected(request, response.status(), target), hops + 1);
    });
  }

  private FetchRequest redirected(FetchRequest request, int status, URI target) {
    boolean toGet = status == 303 || ((status == 301 || status == 302) && request.method() == HttpMethod.POST);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
    boolean leavesOrigin = !Origins.of(target).equals(Origins.of(request.url()));
    if (leavesOrigin) {
      CREDENTIALS.forEach(headers::remove);
      credentialHeaders.get().forEach(headers::remove);
      request.context().secretHeaders().forEach(headers::remove);
    }
    // a body goes to another origin only when the source says so (a 307/308 would carry it)
    boolean dropBody = toGet || (leavesOrigin && request.body() != null && !request.context().keepBodyOnRedirect());
    if (dropBody) {
      headers.remove("Content-Type");
    }
    HttpMethod next = toGet ? HttpMethod.GET : request.method();
    return dropBody && !toGet
        ? request.redirectedTo(target, next, headers).withoutBody()
        : request.redirectedTo(target, next, headers);
  }
}
