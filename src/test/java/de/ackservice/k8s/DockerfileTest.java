package de.ackservice.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The image the Deployment runs: built with Maven, run on a JRE, and agreeing with the Deployment on every path. */
class DockerfileTest {

  private final Dockerfile dockerfile = Dockerfile.read();
  private final Dockerfile.Stage runtime = dockerfile.runtime();
  private final Deployment deployment = K8sManifests.deployment();
  private final Container container = K8sManifests.container(deployment);

  @Test
  void buildsTheJarWithMavenAndRunsItOnAJre() {
    Dockerfile.Stage build = dockerfile.stage("build");

    assertAll(
      () -> assertEquals(2, dockerfile.stages().size()),
      () -> assertTrue(build.all("RUN").stream().anyMatch(r -> r.arguments().contains("mvn -B -q -o package")),
        "the build stage packages the jar"),
      () -> assertEquals("BUILD_IMAGE", Dockerfile.baseImageArg(build)),
      () -> assertEquals("RUNTIME_IMAGE", Dockerfile.baseImageArg(runtime)));
  }

  /** Issue 10: BuildKit fetched a frontend image for '# syntax', and the legacy builder stopped at RUN --mount. */
  @Test
  void everyBuilderUnderstandsIt() {
    String text = ProjectFiles.text(ProjectFiles.DOCKERFILE);

    assertAll(
      () -> assertFalse(Pattern.compile("(?im)^#\\s*syntax\\s*=").matcher(text).find(),
        "a '# syntax=' line makes BuildKit fetch a frontend image from a registry"),
      () -> assertFalse(text.contains("--mount"), "RUN --mount needs BuildKit"),
      () -> assertFalse(text.contains("--link") || text.contains("<<"), "COPY --link and heredocs need BuildKit"));
  }

  @Test
  void baseImagesAreBuildArgumentsDefaultingToOfficialImagesPinnedToAVersion() {
    assertAll(
      () -> assertTrue(dockerfile.argDefault("BUILD_IMAGE").matches("maven:\\d+\\.\\d+\\.\\d+-eclipse-temurin-17"),
        "BUILD_IMAGE default: " + dockerfile.argDefault("BUILD_IMAGE")),
      () -> assertTrue(dockerfile.argDefault("RUNTIME_IMAGE").matches("eclipse-temurin:17\\.\\d+\\.\\d+_\\d+-jre"),
        "RUNTIME_IMAGE default: " + dockerfile.argDefault("RUNTIME_IMAGE")));
  }

  /** A source change must not download Maven's dependencies and plugins again: they come in a layer of their own. */
  @Test
  void resolvesDependenciesInALayerBeforeTheSources() {
    List<Dockerfile.Instruction> build = dockerfile.stage("build").instructions();
    int pom = indexOf(build, i -> i.keyword().equals("COPY") && i.operands().get(0).equals("pom.xml"));
    int resolve = indexOf(build, i -> i.keyword().equals("RUN") && i.arguments().contains("mvn"));
    int sources = indexOf(build, i -> i.keyword().equals("COPY") && i.operands().get(0).startsWith("src"));
    Dockerfile.Instruction last = dockerfile.stage("build").last("RUN");

    assertAll(
      () -> assertTrue(pom < resolve && resolve < sources, "COPY pom.xml, then RUN mvn, then COPY src: " + build),
      () -> assertTrue(last.words().contains("-o"), "the build after the sources runs offline: " + last.arguments()));
  }

  @Test
  void carriesOciLabels() {
    String labels = runtime.all("LABEL").stream().map(Dockerfile.Instruction::arguments)
      .reduce("", String::concat);

    for (String key : List.of("title", "description", "version", "revision")) {
      assertTrue(labels.contains("org.opencontainers.image." + key + "="), "label org.opencontainers.image." + key);
    }
  }

  private static int indexOf(List<Dockerfile.Instruction> instructions,
                             java.util.function.Predicate<Dockerfile.Instruction> test) {
    for (int i = 0; i < instructions.size(); i++) {
      if (test.test(instructions.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such instruction in " + instructions);
  }

  @Test
  void theEntrypointIsTheDeploymentsCommand() {
    List<String> entrypoint = runtime.last("ENTRYPOINT").execForm();
    List<String> cmd = runtime.all("CMD").isEmpty() ? List.of() : runtime.last("CMD").execForm();
    List<String> image = new ArrayList<>(entrypoint);
    image.addAll(cmd);
    List<String> pod = new ArrayList<>(container.getCommand());
    pod.addAll(container.getArgs() == null ? List.of() : container.getArgs());

    assertEquals(image, pod, "Dockerfile ENTRYPOINT+CMD vs the Deployment's command+args");
  }

  /**
   * The class-data-sharing archive the entry point maps is the one a training run in the image writes, with the jar
   * and configuration the entry point uses, after both are copied in (JDK 17 ignores an archive made from another
   * jar, at another path or of another time).
   */
  @Test
  void theEntrypointMapsTheArchiveATrainingRunOfTheSameJarWroteInTheImage() {
    List<String> command = container.getCommand();
    String option = command.stream().filter(o -> o.startsWith("-XX:SharedArchiveFile=")).findFirst()
      .orElseThrow(() -> new AssertionError("the entry point maps no class-data-sharing archive: " + command));
    String archive = option.substring(option.indexOf('=') + 1);
    List<Dockerfile.Instruction> steps = runtime.instructions();
    int training = indexOf(steps, i -> i.keyword().equals("RUN")
      && i.arguments().contains("-XX:ArchiveClassesAtExit=" + archive + " "));
    String run = steps.get(training).arguments();
    String jar = K8sManifests.argumentAfter(command, "-jar");
    String conf = K8sManifests.argumentAfter(command, "-conf");

    assertAll(
      () -> assertTrue(run.contains("-jar " + jar + " "), "the training runs " + jar + ": " + run),
      () -> assertTrue(run.contains("-conf " + conf + " "), "the training reads " + conf + ": " + run),
      () -> assertTrue(training > steps.indexOf(copyTo(jar)), "the training comes after the jar's COPY"),
      () -> assertTrue(training > steps.indexOf(copyTo(conf)), "the training comes after the config's COPY"),
      () -> assertTrue(training < steps.indexOf(runtime.last("USER")), "the archive is written before USER, by root,"
        + " into the read-only-at-run-time /app"));
  }

  @Test
  void copiesTheFatJarToThePathTheEntrypointRuns() {
    String jar = K8sManifests.argumentAfter(container.getCommand(), "-jar");
    Dockerfile.Instruction copy = copyTo(jar);

    assertEquals("build", copy.flag("from"));
    assertEquals(List.of("/build/target/" + shadedJarName(), jar), copy.operands(),
      "the jar maven-shade writes (pom.xml outputFile), copied to the path the command runs");
    assertEquals("/build", dockerfile.stage("build").last("WORKDIR").arguments());
  }

  @Test
  void shipsTheDefaultConfigWhereTheDeploymentMountsTheConfigMap() {
    String conf = K8sManifests.argumentAfter(container.getCommand(), "-conf");
    Dockerfile.Instruction copy = copyTo(conf);

    assertEquals(List.of("conf/config.json", conf), copy.operands());
  }

  @Test
  void runsAsTheUserAndGroupTheDeploymentExpects() {
    PodSecurityContext pod = K8sManifests.pod(deployment).getSecurityContext();
    String user = runtime.last("USER").arguments().trim();

    assertTrue(user.matches("\\d+:\\d+"), "USER must be numeric uid:gid for runAsNonRoot to verify it: " + user);
    assertEquals(pod.getRunAsUser() + ":" + pod.getRunAsGroup(), user);
    assertTrue(runtime.all("RUN").stream().anyMatch(r -> r.arguments().contains("--uid " + pod.getRunAsUser())),
      "the image creates the user it runs as");
  }

  @Test
  void theBuildContextHoldsWhatTheBuildCopiesAndLeavesTheRestOut() {
    List<String> ignore = ProjectFiles.text(ProjectFiles.DOCKERIGNORE).lines()
      .map(String::strip)
      .filter(l -> !l.isEmpty() && !l.startsWith("#"))
      .toList();
    List<String> copied = dockerfile.stages().stream()
      .flatMap(s -> s.all("COPY").stream())
      .filter(c -> c.flag("from") == null)
      .flatMap(c -> c.operands().subList(0, c.operands().size() - 1).stream())
      .map(source -> source.replaceAll("/+$", ""))
      .toList();

    for (String source : copied) {
      assertFalse(ignored(source, ignore), source + " is copied but .dockerignore leaves it out of the context");
    }
    for (String local : List.of("target/ack-fat.jar", ".git/HEAD", "k8s/deployment.yaml",
        "src/test/java/de/ackservice/k8s/DockerfileTest.java", "README.md")) {
      assertTrue(ignored(local, ignore), local + " must not be sent to the image build");
    }
  }

  private Dockerfile.Instruction copyTo(String destination) {
    List<Dockerfile.Instruction> copies = runtime.all("COPY").stream()
      .filter(c -> c.operands().get(c.operands().size() - 1).equals(destination))
      .toList();
    assertEquals(1, copies.size(), "one COPY to " + destination + " in the runtime stage");
    return copies.get(0);
  }

  private static String shadedJarName() {
    Matcher m = Pattern.compile("<outputFile>\\$\\{project.build.directory}/([^<]+)</outputFile>")
      .matcher(ProjectFiles.text(ProjectFiles.ROOT.resolve("pom.xml")));
    assertTrue(m.find(), "pom.xml names no shaded outputFile");
    return m.group(1);
  }

  /** .dockerignore semantics: the last pattern matching the path or one of its parents decides; '!' re-includes. */
  static boolean ignored(String path, List<String> patterns) {
    boolean ignored = false;
    for (String line : patterns) {
      boolean include = line.startsWith("!");
      String pattern = (include ? line.substring(1) : line).replaceAll("/+$", "");
      var matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      for (Path p = Path.of(path); p != null; p = p.getParent()) {
        if (matcher.matches(p)) {
          ignored = !include;
          break;
        }
      }
    }
    return ignored;
  }
}
