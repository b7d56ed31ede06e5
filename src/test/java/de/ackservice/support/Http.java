package de.ackservice.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One HTTP request to 127.0.0.1, as curl or a kubelet probe makes it: blocking, with the whole answer, bounded by a
 * timeout. The JDK's client, so the test thread can wait on it without racing an event loop.
 */
public final class Http {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /** A complete answer. */
  public record Response(int status, String contentType, String body) {
  }

  private Http() {
  }

  public static Response get(int port, String path) throws IOException, InterruptedException {
    return request("GET", port, path);
  }

  public static Response request(String method, int port, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .timeout(TIMEOUT)
      .method(method, HttpRequest.BodyPublishers.noBody())
      .build();
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
      response.body());
  }
}
