package de.ackservice.k8s;

import io.fabric8.kubernetes.api.model.LabelSelector;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks that a selector picks the pods of the Deployment. */
final class Selectors {

  private Selectors() {
  }

  static void assertSelects(Map<String, String> selector, Map<String, String> podLabels, String what) {
    assertNotNull(selector, what + " has no selector");
    assertFalse(selector.isEmpty(), what + " has an empty selector: it would select every pod");
    assertTrue(podLabels.entrySet().containsAll(selector.entrySet()),
      what + " selector " + selector + " does not select the pod labels " + podLabels);
  }

  static void assertSelects(LabelSelector selector, Map<String, String> podLabels, String what) {
    assertNotNull(selector, what + " has no selector");
    assertTrue(selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty(),
      what + ": matchExpressions are not checked here; use matchLabels");
    assertSelects(selector.getMatchLabels(), podLabels, what);
  }
}
