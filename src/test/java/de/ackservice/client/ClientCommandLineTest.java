package de.ackservice.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientCommandLineTest {

  @Test
  void takesConfLikeTheServerAndHostAndPortLikeTheSeedClient() {
    assertEquals(new ClientCommandLine(null, null, 0, false, false), ClientCommandLine.parse(new String[0]));
    assertEquals(new ClientCommandLine("conf/config.json", null, 0, false, false),
      ClientCommandLine.parse(new String[] {"-conf", "conf/config.json"}));
    assertEquals(new ClientCommandLine("{\"port\":6000}", null, 0, false, false),
      ClientCommandLine.parse(new String[] {"--conf={\"port\":6000}"}));
    assertEquals(new ClientCommandLine("c.json", "10.0.0.1", 6000, false, false),
      ClientCommandLine.parse(new String[] {"-conf", "c.json", "10.0.0.1", "6000"}));
    assertEquals(new ClientCommandLine(null, "localhost", 0, false, false),
      ClientCommandLine.parse(new String[] {"localhost"}));
    assertTrue(ClientCommandLine.parse(new String[] {"--help"}).help());
  }

  @Test
  void reconnectIsAFlagAnywhereBeforeOrBetweenThePositionalArguments() {
    assertEquals(new ClientCommandLine(null, "127.0.0.1", 5000, false, true),
      ClientCommandLine.parse(new String[] {"--reconnect", "127.0.0.1", "5000"}));
    assertEquals(new ClientCommandLine("c.json", "h", 0, false, true),
      ClientCommandLine.parse(new String[] {"-conf", "c.json", "h", "--reconnect"}));
  }

  @Test
  void refusesWhatItDoesNotUnderstand() {
    assertThrows(IllegalArgumentException.class, () -> ClientCommandLine.parse(new String[] {"-conf"}));
    assertThrows(IllegalArgumentException.class, () -> ClientCommandLine.parse(new String[] {"-instances", "2"}));
    assertThrows(IllegalArgumentException.class, () -> ClientCommandLine.parse(new String[] {"h", "0"}));
    assertThrows(IllegalArgumentException.class, () -> ClientCommandLine.parse(new String[] {"h", "port"}));
    assertThrows(IllegalArgumentException.class, () -> ClientCommandLine.parse(new String[] {"h", "1", "x"}));
  }
}
