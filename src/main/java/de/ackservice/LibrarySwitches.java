package de.ackservice;

/**
 * Start-up cost no program of this jar needs, switched off by the libraries' documented system properties. One the
 * user sets with {@code -D} wins.
 *
 * <p>Why in {@link Main}, before anything else: each library reads its switch once, when the class that reads it is
 * initialised, and that happens early and in places that move with library versions. The server used to set
 * {@code io.netty.jfr.enabled} when it built its Vert.x instance; by then the Vert.x launcher it ran on had loaded
 * Netty's {@code PlatformDependent}, and the first pooled buffer (the acknowledgement's wire bytes) registered
 * Netty's JFR events: 110 ms of the event loop's start-up, measured with async-profiler (README "Start-up").
 */
public final class LeanStart {

  private LeanStart() {
  }

  /**
   * For every program:
   * <ul>
   *   <li>no Netty DNS resolver: the programs resolve at most a listen or server address, which the JDK does as
   *       well, and Netty's asynchronous resolver costs some 80 classes to set up;</li>
   *   <li>no JFR events from Netty's buffer allocator: registering them loads about 100 {@code jdk.jfr} classes for
   *       events only a JFR recording would read (set {@code -Dio.netty.jfr.enabled=true} when profiling with
   *       JFR).</li>
   * </ul>
   */
  static void forEveryProgram() {
    setUnlessGiven("vertx.disableDnsResolver", "true");
    setUnlessGiven("io.netty.jfr.enabled", "false");
  }

  /** Sets a library switch unless the user gave it on the command line. */
  public static void setUnlessGiven(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
