package de.ackservice.overload;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Memory-pressure admission (what Envoy calls an overload manager): while the heap in use after the last garbage
 * collection, or Netty's direct memory, is above {@code fraction} of its maximum, new connections are refused and
 * readiness says no, until both are back under {@code fraction * RESUME_SHARE} (so that the state does not flap at the
 * threshold). Heap after GC, not heap now: garbage waiting for the next collection is no pressure.
 *
 * <p>Hooks: {@link #admits()} per new connection (two volatile reads and a counter read), {@link #overloaded()} in
 * readiness, {@link #start()} / {@link #stop()} with the service. Heap readings come from GC notifications, so a
 * reading is never older than the last collection.
 */
public final class MemoryPressure {

  /** Memory must fall under this share of the fraction before connections are admitted again (0.85 → 0.80). */
  public static final double RESUME_SHARE = 0.94;

  private static final Logger log = LoggerFactory.getLogger(MemoryPressure.class);

  /** Where the fractions come from: the JVM in production, a test's numbers in unit tests. */
  public interface Readings {
    /** Heap used after the last GC / max heap, or 0 before any GC. */
    double heapAfterGc();

    /** Netty's direct memory in use / its maximum, or 0 when Netty does not track it. */
    double direct();
  }

  private final double fraction;
  private final double resumeBelow;
  private final Readings readings;
  private final LongAdder rejected = new LongAdder();
  private final List<Runnable> unsubscribe = new ArrayList<>();
  private volatile boolean overloaded;

  /** @param fraction 0 turns the check off */
  public MemoryPressure(double fraction) {
    this(fraction, null);
  }

  public MemoryPressure(double fraction, Readings readings) {
    this.fraction = fraction;
    this.resumeBelow = fraction * RESUME_SHARE;
    this.readings = readings != null ? readings : new JvmReadings();
  }

  /** Listens to the JVM's GC notifications (heap after each collection). */
  public void start() {
    if (fraction == 0 || !(readings instanceof JvmReadings)) {
      return;
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        NotificationListener listener = this::onGc;
        emitter.addNotificationListener(listener, null, null);
        unsubscribe.add(() -> {
          try {
            emitter.removeNotificationListener(listener);
          } catch (Exception ignored) {
            // already gone
          }
        });
      }
    }
  }

  public void stop() {
    unsubscribe.forEach(Runnable::run);
    unsubscribe.clear();
  }

  /**
   * Called for each new connection: false means refuse it (it is counted). Re-evaluates direct memory, which
   * changes without a GC; the heap reading is the one of the last GC.
   */
  public boolean admits() {
    if (fraction == 0) {
      return true;
    }
    evaluate();
    if (overloaded) {
      rejected.increment();
      return false;
    }
    return true;
  }

  /** True while new connections are refused; readiness answers 503 meanwhile. */
  public boolean overloaded() {
    if (fraction != 0) {
      evaluate();
    }
    return overloaded;
  }

  public long rejected() {
    return rejected.sum();
  }

  public double fraction() {
    return fraction;
  }

  /** The last heap-after-GC fraction seen (for the metric). */
  public double heapAfterGcFraction() {
    return readings.heapAfterGc();
  }

  public double directFraction() {
    return readings.direct();
  }

  /** Applies the hysteresis; logs each change of state once. */
  synchronized void evaluate() {
    double heap = readings.heapAfterGc();
    double direct = readings.direct();
    if (!overloaded && (heap > fraction || direct > fraction)) {
      overloaded = true;
      log.atWarn().setMessage("memory pressure: refusing new connections; established connections are still served")
        .addKeyValue("heapAfterGc", percent(heap)).addKeyValue("direct", percent(direct))
        .addKeyValue("limit", percent(fraction)).log();
    } else if (overloaded && heap < resumeBelow && direct < resumeBelow) {
      overloaded = false;
      log.atInfo().setMessage("memory pressure over: admitting new connections")
        .addKeyValue("heapAfterGc", percent(heap)).addKeyValue("direct", percent(direct))
        .addKeyValue("resumeBelow", percent(resumeBelow)).log();
    }
  }

  private static String percent(double fraction) {
    return Math.round(fraction * 1000) / 10.0 + "%";
  }

  private void onGc(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
      GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    ((JvmReadings) readings).afterGc(info.getGcInfo().getMemoryUsageAfterGc());
    evaluate();
  }

  /** The JVM's numbers: heap pools after the last GC, and Netty's own count of its direct memory. */
  private static final class JvmReadings implements Readings {

    private final List<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(pool -> pool.getType() == MemoryType.HEAP).map(java.lang.management.MemoryPoolMXBean::getName).toList();
    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private volatile double heapAfterGc;

    void afterGc(Map<String, MemoryUsage> afterGc) {
      long used = 0;
      for (String pool : heapPools) {
        MemoryUsage usage = afterGc.get(pool);
        if (usage != null) {
          used += usage.getUsed();
        }
      }
      heapAfterGc = (double) used / maxHeap;
    }

    @Override
    public double heapAfterGc() {
      return heapAfterGc;
    }

    @Override
    public double direct() {
      long used = PlatformDependent.usedDirectMemory();
      long max = PlatformDependent.maxDirectMemory();
      return used < 0 || max <= 0 ? 0 : (double) used / max;
    }
  }
}
