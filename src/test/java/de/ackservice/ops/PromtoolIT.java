package de.ackservice.ops;

import de.ackservice.support.ExternalTool;
import de.ackservice.support.Http;
import de.ackservice.support.JarProcess;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's /metrics as a real scraper's linter sees it: {@code promtool check metrics} (Debian package
 * prometheus) must report nothing about our own {@code ack_*} series. Micrometer's JVM series keep a few of
 * promtool's naming warnings (README, "Health and metrics"); they are printed, not asserted.
 */
class PromtoolIT {

  private static final Pattern MANAGEMENT = Pattern.compile("management endpoint listening on \\S+:(\\d+) ");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void promtoolFindsNothingWrongWithTheAckSeries() throws Exception {
    try (JarProcess server = JarProcess.startServer(List.of(), Map.of())) {
      int management = Integer.parseInt(server.awaitLine(MANAGEMENT).group(1));
      String metrics = Http.get(management, "/metrics").body();
      assertTrue(metrics.contains("\nack_acks_sent_total"), "the ack_* series are exposed");

      ExternalTool.Result check = promtool(metrics);
      List<String> ours = check.stderr().lines().filter(l -> l.contains("ack_")).toList();

      System.out.println("promtool check metrics on /metrics (exit " + check.exitCode() + "):\n" + check.stderr());
      assertEquals(List.of(), ours, "promtool's findings about ack_* series");
    }
  }

  /** The checker works: the same call reports a counter without the _total suffix. */
  @Test
  void promtoolReportsAProblemInAnAckSeries() throws Exception {
    ExternalTool.Result check = promtool("# HELP ack_bad_counter A counter named wrongly\n"
      + "# TYPE ack_bad_counter counter\nack_bad_counter 1\n");

    assertTrue(check.stderr().contains("ack_bad_counter"), check.stderr());
  }

  private static ExternalTool.Result promtool(String exposition) throws Exception {
    String promtool = ExternalTool.require("promtool", "prometheus");
    return ExternalTool.run(List.of(promtool, "check", "metrics"), TIMEOUT, null,
      exposition.getBytes(StandardCharsets.UTF_8));
  }
}
