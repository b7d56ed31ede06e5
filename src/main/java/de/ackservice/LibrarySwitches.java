package de.ackservice;

/**
 * The libraries' switches this jar sets, each a documented system property; one the user sets with {@code -D} wins.
 * Two kinds: start-up cost no program of this jar needs, and one defence against a library defect.
 *
 * <p>Why in {@link Main}, before anything else: each library reads its switch once, when the class that reads it is
 * initialised, and that happens early and in places that move with library versions. The server used to set
 * {@code io.netty.jfr.enabled} when it built its Vert.x instance; by then the Vert.x launcher it ran on had loaded
 * Netty's {@code PlatformDependent}, and the first pooled buffer (the acknowledgement's wire bytes) registered
 * Netty's JFR events: 110 ms of the event loop's start-up, measured with async-profiler (README "Start-up").
 */
public final class LibrarySwitches {

  private LibrarySwitches() {
  }

  /**
   * For every program:
   * <ul>
   *   <li>no Netty DNS resolver: the programs resolve at most a listen or server address, which the JDK does as
   *       well, and Netty's asynchronous resolver costs some 80 classes to set up;</li>
   *   <li>no JFR events from Netty's buffer allocator: registering them loads about 100 {@code jdk.jfr} classes for
   *       events only a JFR recording would read (set {@code -Dio.netty.jfr.enabled=true} when profiling with
   *       JFR);</li>
   *   <li>no class-path file resolving and no file cache in Vert.x: no program serves files, and the cache is a
   *       directory with a random name, created at start and walked and deleted at exit (the server's
   *       {@code -options} can still turn them on, in {@code fileSystemOptions});</li>
   *   <li>single-shot accept on io_uring ({@code io.netty.iouring.acceptMultiShotEnabled=false}). With a multishot
   *       accept, Netty 4.2.12 re-arms the accept as soon as one fails ({@code AbstractIoUringChannel}'s read
   *       completion re-arms a finished multishot read without looking at auto-read, which its server bootstrap
   *       clears for a second after a failed accept). When the process is out of descriptors, every accept fails
   *       with EMFILE, so the acceptor thread spun a whole core for as long as that lasted, measured: 200 ticks of
   *       CPU in 2 s, against none with single-shot accept, which backs off as on epoll (DescriptorExhaustionIT).
   *       A single-shot accept costs one more submission per accepted connection, nothing next to the
   *       connection's own traffic.</li>
   * </ul>
   */
  static void forEveryProgram() {
    setUnlessGiven("vertx.disableDnsResolver", "true");
    setUnlessGiven("io.netty.jfr.enabled", "false");
    setUnlessGiven("vertx.disableFileCPResolving", "true");
    setUnlessGiven("vertx.disableFileCaching", "true");
    setUnlessGiven("io.netty.iouring.acceptMultiShotEnabled", "false");
  }

  /** Sets a library switch unless the user gave it on the command line. */
  public static void setUnlessGiven(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
