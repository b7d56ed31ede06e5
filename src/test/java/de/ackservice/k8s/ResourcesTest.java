package de.ackservice.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The container asks for and is capped at fixed resources, and the JVM sizes itself to the container's memory. */
class ResourcesTest {

  /**
   * What the JVM needs beyond heap and direct buffers (metaspace, code cache, thread stacks, GC structures): the
   * service idle on JDK 17 with this command and a 512 MiB limit committed about 78 MiB outside the heap
   * (-XX:NativeMemoryTracking=summary), so a little more than that must stay free.
   */
  static final long NON_HEAP_HEADROOM_BYTES = 96L * 1024 * 1024;

  private final Container container = K8sManifests.container(K8sManifests.deployment());
  private final List<String> command = container.getCommand();

  @Test
  void requestsAndLimitsCpuAndMemory() {
    Map<String, Quantity> requests = container.getResources().getRequests();
    Map<String, Quantity> limits = container.getResources().getLimits();

    assertAll(
      () -> assertNotNull(requests.get("cpu"), "cpu request"),
      () -> assertNotNull(requests.get("memory"), "memory request"),
      () -> assertNotNull(limits.get("cpu"), "cpu limit"),
      () -> assertNotNull(limits.get("memory"), "memory limit"),
      () -> assertTrue(bytes(requests.get("cpu")).compareTo(bytes(limits.get("cpu"))) <= 0, "cpu request <= limit"),
      // Memory cannot be throttled, only killed for: a request below the limit invites eviction under pressure.
      () -> assertEquals(bytes(limits.get("memory")), bytes(requests.get("memory")), "memory request = limit"));
  }

  @Test
  void theJvmSizesItsHeapFromTheContainerLimitAndExitsOnOutOfMemory() {
    assertAll(
      () -> assertNotNull(K8sManifests.jvmOption(command, "-XX:MaxRAMPercentage="), "-XX:MaxRAMPercentage"),
      () -> assertNull(K8sManifests.jvmOption(command, "-Xmx"), "-Xmx fixes the heap whatever the limit"),
      () -> assertNull(K8sManifests.jvmOption(command, "-XX:MaxHeapSize="), "MaxHeapSize fixes the heap"),
      () -> assertNull(K8sManifests.jvmOption(command, "-XX:-UseContainerSupport"), "container support off"),
      () -> assertTrue(command.contains("-XX:+ExitOnOutOfMemoryError"),
        "a JVM out of memory must exit so that the kubelet restarts it"));
  }

  @Test
  void heapPlusDirectBuffersLeaveRoomForTheRestOfTheJvmBelowTheLimit() {
    long limit = bytes(container.getResources().getLimits().get("memory")).longValueExact();
    double heapPercent = Double.parseDouble(K8sManifests.jvmOption(command, "-XX:MaxRAMPercentage="));
    String direct = K8sManifests.jvmOption(command, "-XX:MaxDirectMemorySize=");
    assertNotNull(direct, "-XX:MaxDirectMemorySize: without it Netty may use as much direct memory as heap");

    long heap = (long) (limit * heapPercent / 100);
    long total = heap + jvmSize(direct) + NON_HEAP_HEADROOM_BYTES;
    assertTrue(total <= limit, "heap " + heap + " + direct " + jvmSize(direct) + " + headroom "
      + NON_HEAP_HEADROOM_BYTES + " = " + total + " exceeds the memory limit " + limit);
  }

  private static BigDecimal bytes(Quantity quantity) {
    return Quantity.getAmountInBytes(quantity);
  }

  /** A JVM size such as 128m, 1g, 65536k or 1048576. */
  static long jvmSize(String value) {
    char unit = Character.toLowerCase(value.charAt(value.length() - 1));
    long multiplier = switch (unit) {
      case 'k' -> 1024L;
      case 'm' -> 1024L * 1024;
      case 'g' -> 1024L * 1024 * 1024;
      default -> 1;
    };
    String digits = Character.isDigit(unit) ? value : value.substring(0, value.length() - 1);
    return Long.parseLong(digits) * multiplier;
  }
}
