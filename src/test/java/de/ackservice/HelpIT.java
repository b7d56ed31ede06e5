package de.ackservice;

import de.ackservice.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --help} against the jar: it names the three programs and how to get each one's options. */
class HelpIT {

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h"})
  void helpNamesTheThreeProgramsAndWhereTheirOptionsAre(String flag) throws Exception {
    String out = run(flag);
    assertThat(out).contains("java -jar ack-fat.jar [server] [-conf FILE|JSON]", "the server:");
    assertThat(out).contains("java -jar ack-fat.jar client ", "the client:");
    assertThat(out).contains("java -jar ack-fat.jar bench ", "the load generator:");
    assertThat(out).contains("java -jar ack-fat.jar server --help", "java -jar ack-fat.jar client --help",
      "java -jar ack-fat.jar bench --help");
    assertThat(out).doesNotContain("listening on");
  }

  @Test
  void serverHelpListsItsOptions() throws Exception {
    assertThat(run("server", "--help")).contains("-conf", "-instances", "-options").doesNotContain("listening on");
  }

  @Test
  void clientAndBenchHelpStillWork() throws Exception {
    assertThat(run("client", "--help")).contains("Aufruf: java -jar ack-fat.jar client");
    assertThat(run("bench", "--help")).contains("usage: java -jar ack-fat.jar bench");
  }

  /** Runs the jar with {@code args}, expects exit 0 and returns what it printed. */
  private static String run(String... args) throws Exception {
    try (JarProcess process = JarProcess.start(List.of(), List.of(args), Map.of())) {
      assertThat(process.awaitExit(60, TimeUnit.SECONDS)).as("exit status of %s", List.of(args)).isZero();
      return process.output();
    }
  }
}
