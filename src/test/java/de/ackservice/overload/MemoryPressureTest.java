package de.ackservice.overload;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The admission decision and its hysteresis, driven by given readings (the jar test drives it with a real heap). */
class MemoryPressureTest {

  private double heap;
  private double direct;
  private final MemoryPressure pressure = new MemoryPressure(0.85, new MemoryPressure.Readings() {
    @Override
    public double heapAfterGc() {
      return heap;
    }

    @Override
    public double direct() {
      return direct;
    }
  });

  @Test
  void refusesAboveTheFractionAndAdmitsAgainOnlyBelowTheLowerThreshold() {
    heap = 0.50;
    assertThat(pressure.admits()).isTrue();
    heap = 0.86;
    assertThat(pressure.admits()).isFalse();
    assertThat(pressure.overloaded()).isTrue();
    heap = 0.82; // under 0.85 but not under 0.80: still refusing
    assertThat(pressure.admits()).isFalse();
    heap = 0.79;
    assertThat(pressure.admits()).isTrue();
    assertThat(pressure.overloaded()).isFalse();
    assertThat(pressure.rejected()).isEqualTo(2);
  }

  @Test
  void directMemoryAloneIsEnough() {
    heap = 0.10;
    direct = 0.90;
    assertThat(pressure.admits()).isFalse();
    direct = 0.81;
    assertThat(pressure.overloaded()).isTrue();
    direct = 0.5;
    assertThat(pressure.overloaded()).isFalse();
  }

  @Test
  void fractionZeroIsOff() {
    MemoryPressure off = new MemoryPressure(0, new MemoryPressure.Readings() {
      @Override
      public double heapAfterGc() {
        return 1;
      }

      @Override
      public double direct() {
        return 1;
      }
    });
    assertThat(off.admits()).isTrue();
    assertThat(off.overloaded()).isFalse();
  }
}
