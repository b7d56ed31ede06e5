package de.ackservice.k8s;

import de.ackservice.support.ExternalTool;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An operator's linter finds nothing in k8s/: Debian's yamllint with the project's .yamllint.yaml, warnings fatal. */
class YamlLintTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void k8sHasNoLintWarnings() throws Exception {
    ExternalTool.Result lint = yamllint(ProjectFiles.K8S.toString());

    assertEquals(0, lint.exitCode(), "yamllint --strict k8s/:\n" + lint.stdout() + lint.stderr());
  }

  /** The same configuration does find problems: a line past the limit and a missing document start. */
  @Test
  void theLinterCatchesWhatItShould(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "key: " + "x".repeat(130) + "\n");

    ExternalTool.Result lint = yamllint(bad.toString());

    assertNotEquals(0, lint.exitCode());
    assertTrue(lint.stdout().contains("line-length") && lint.stdout().contains("document-start"), lint.stdout());
  }

  private static ExternalTool.Result yamllint(String target) throws Exception {
    String yamllint = ExternalTool.require("yamllint", "yamllint");
    return ExternalTool.run(List.of(yamllint, "--strict", "--format", "parsable", "-c",
      ProjectFiles.ROOT.resolve(".yamllint.yaml").toString(), target), TIMEOUT);
  }
}
