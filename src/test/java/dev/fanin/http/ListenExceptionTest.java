package dev.fanin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.BindException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One line in the operating system's words, whichever transport failed to bind. */
class ListenExceptionTest {
  @ParameterizedTest
  @ValueSource(strings = {"Address already in use", "bind(..) failed: Address already in use",
      "bind(..) failed with error(-98): Address already in use"})
  void theReasonIsTheSameForNioAndBothEpollWordings(String message) {
    ListenException e = new ListenException("127.0.0.1", 8080, new RuntimeException(new BindException(message)));
    assertEquals("cannot listen on 127.0.0.1:8080: address already in use", e.getMessage());
  }
}
