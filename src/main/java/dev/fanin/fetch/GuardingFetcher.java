package dev.fanin.fetch;

import dev.fanin.policy.UpstreamPolicy;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The SSRF guard. Checks the URL against the upstream policy, resolves the host once, checks the
 * address, and pins the request to that address, so a name that resolves elsewhere on the next
 * lookup (DNS rebinding) cannot slip past. A refused source ends rejected; nothing is sent.
 */
public final class GuardingFetcher implements Fetcher {
  private final Fetcher next;
  private final HostResolver resolver;
  private final UpstreamPolicy policy;

  public GuardingFetcher(Fetcher next, HostResolver resolver, UpstreamPolicy policy) {
    this.next = next;
    this.resolver = resolver;
    this.policy = policy;
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    String refused = policy.checkUrl(request.url());
    if (refused != null) {
      return Future.failedFuture(new FetchException(ErrorKind.REJECTED, refused));
    }
    InetSocketAddress fixed = policy.fixedTarget(request.url());
    if (fixed != null) {
      return next.fetch(request.withServer(fixed));
    }
    return resolve(request.url().getHost()).compose(address -> {
      String why = policy.checkAddress(request.url(), address, request.context().trusted());
      if (why != null) {
        return Future.failedFuture(new FetchException(ErrorKind.REJECTED, why));
      }
      return next.fetch(request.withServer(new InetSocketAddress(address, Origins.port(request.url()))));
    });
  }

  private Future<InetAddress> resolve(String host) {
    InetAddress literal = UpstreamPolicy.literal(host);
    if (literal != null) {
      return Future.succeededFuture(literal);
    }
    return resolver.resolve(host)
        .recover(t -> Future.failedFuture(new FetchException(ErrorKind.CONNECT, "unknown host: " + host)));
  }
}
