package de.ackservice;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server's command line: the Vert.x launcher's spellings of -conf, -instances and -options still work. */
class ServerCommandLineTest {

  @Test
  void noArgumentsMeanNoneOfThem() {
    assertThat(ServerCommandLine.parse(new String[0])).isEqualTo(new ServerCommandLine(null, null, null, false));
  }

  @Test
  void theLaunchersSpellingsAreUnderstood() {
    assertThat(ServerCommandLine.parse(new String[] {"-conf", "conf/config.json", "-instances", "3"}))
      .isEqualTo(new ServerCommandLine("conf/config.json", 3, null, false));
    assertThat(ServerCommandLine.parse(new String[] {"--conf={\"port\": 1}", "--INSTANCES=2", "-options", "{}"}))
      .isEqualTo(new ServerCommandLine("{\"port\": 1}", 2, "{}", false));
    assertThat(ServerCommandLine.parse(new String[] {"--vertx-options", "o.json", "-help"}))
      .isEqualTo(new ServerCommandLine(null, null, "o.json", true));
    assertThat(ServerCommandLine.parse(new String[] {"-h"}).help()).isTrue();
  }

  @Test
  void whatIsNotUnderstoodIsNamed() {
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"-cluster"}))
      .hasMessage("Unknown option: '-cluster'");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"de.example.MainVerticle"}))
      .hasMessage("Unexpected argument: 'de.example.MainVerticle'");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"-conf"}))
      .hasMessage("Missing value for option '-conf'");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"-instances", "0"}))
      .hasMessageContaining("-instances must be a whole number of at least 1, not '0'");
  }
}
