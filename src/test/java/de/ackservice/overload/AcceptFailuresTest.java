package de.ackservice.overload;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import de.ackservice.support.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter on Netty's pipeline-tail log: a "Too many open files" accept failure becomes one line per 10 s and a
 * count; other events of that logger pass. (The jar test, DescriptorExhaustionIT, makes the real failure.)
 */
class AcceptFailuresTest {

  private long now;
  private final AcceptFailures failures = new AcceptFailures(() -> now);
  private LogCapture ours;
  private LogCapture netty;

  @BeforeEach
  void install() {
    failures.install();
    ours = LogCapture.attach(AcceptFailures.class, Level.INFO);
    netty = LogCapture.attach(AcceptFailures.NETTY_PIPELINE_LOGGER);
  }

  @AfterEach
  void uninstall() {
    failures.uninstall();
    ours.close();
    netty.close();
  }

  @Test
  void oneLinePerTenSecondsWhileItLastsThenOneWhenAcceptingWorks() {
    Logger pipeline = (Logger) LoggerFactory.getLogger(AcceptFailures.NETTY_PIPELINE_LOGGER);
    IOException emfile = new IOException("accept(..) failed: Too many open files");
    for (int second = 0; second < 25; second++) {
      now = TimeUnit.SECONDS.toNanos(second);
      pipeline.warn("An exceptionCaught() event was fired, and it reached at the tail of the pipeline.", emfile);
    }
    assertThat(failures.failures()).isEqualTo(25);
    assertThat(failures.exhausted()).isTrue();
    assertThat(netty.events).as("Netty's stack traces are dropped").isEmpty();
    assertThat(ours.messages()).hasSize(3) // at 0, 10 and 20 s
      .allMatch(m -> m.matches("cannot accept connections: too many open files \\(limit -?\\d+\\); "
        + "established connections are still served"));
    assertThat(ours.events).allMatch(e -> e.getLevel() == Level.WARN);

    failures.accepted();
    failures.accepted();
    assertThat(ours.messages()).hasSize(4).last().isEqualTo("accepting connections again (descriptors available)");
    assertThat(failures.exhausted()).isFalse();
  }

  @Test
  void otherEventsOfThatLoggerPass() {
    Logger pipeline = (Logger) LoggerFactory.getLogger(AcceptFailures.NETTY_PIPELINE_LOGGER);
    pipeline.warn("something else reached the tail", new IOException("Connection reset by peer"));
    assertThat(netty.events).hasSize(1);
    assertThat(failures.failures()).isZero();
  }
}
