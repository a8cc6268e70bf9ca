package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JUnit extension: shared per class with faults restored between tests, or one per test. */
class ExtensionIT {
  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class SharedPerClass {
    @RegisterExtension
    static final FakeControlPlaneExtension cp = FakeControlPlaneExtension.withInstances(2);

    @Test
    @Order(1)
    void aTestMayBreakAnInstance(FakeControlPlane injected) {
      assertThat(injected.port()).isEqualTo(cp.port());
      cp.instance(1).crash();
      cp.instance(0).inject(Fault.latency(java.time.Duration.ofMillis(10)));
      assertThat(cp.instance(1).state()).isEqualTo(ApiServerInstance.State.CRASHED);
    }

    @Test
    @Order(2)
    void theNextTestFindsEveryInstanceRestored() {
      assertThat(cp.instance(1).state()).isEqualTo(ApiServerInstance.State.RUNNING);
      assertThat(cp.instance(0).activeFaults()).isEmpty();
    }
  }

  @Nested
  class OnePerTest {
    @RegisterExtension
    final FakeControlPlaneExtension cp = FakeControlPlaneExtension.withInstances(1);

    @Test
    void eachTestHasItsOwnControlPlane() {
      assertThat(cp.instances()).hasSize(1);
      assertThat(cp.store().list("v1", "Namespace", null)).hasSize(4);
    }
  }
}
