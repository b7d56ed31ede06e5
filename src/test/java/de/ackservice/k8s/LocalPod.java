package de.ackservice.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * The container of the Deployment, laid out on this machine: its command with every container path mapped to a
 * local file, its environment, its working directory and its user. The mapping is the one the container would see:
 * <ul>
 *   <li>{@code java} is the JVM running the tests (the image's is a Temurin 17 JRE);</li>
 *   <li>a path under a volume mount is that volume: a ConfigMap volume is a folder holding the files kustomize's
 *       configMapGenerator puts into it (k8s/config.json as {@code config.json}, mode 0644 like the kubelet's), an
 *       emptyDir an empty folder; mounts shadow the image's files, as in the container;</li>
 *   <li>any other path is a file the Dockerfile COPYs into the image, copied to the same path below a scratch
 *       folder: {@code --from=build .../target/X} is the jar this build made (system property
 *       {@code ackservice.jar}), a plain COPY is the project file;</li>
 *   <li>the environment is the image's ENV plus the container's env, nothing inherited from the test's;</li>
 *   <li>the working directory (the image's WORKDIR) is an empty folder nobody may write to, like the read-only
 *       root filesystem.</li>
 * </ul>
 * The image's class-data-sharing archive ({@code -XX:SharedArchiveFile=}) is the one option left out: the image
 * build makes it for the image's own JVM.
 * A container path with no local equivalent fails the test: extend the mapping rather than guess.
 */
final class LocalPod {

  private static final String SHARED_ARCHIVE = "-XX:SharedArchiveFile=";

  private final Container container;
  private final Path scratch;
  private final Map<String, Path> mounts = new LinkedHashMap<>();
  private final Map<String, Path> imageFiles = new LinkedHashMap<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final Path workingDirectory;
  private final long runAsUser;
  private final long runAsGroup;

  LocalPod(Deployment deployment, Dockerfile dockerfile, Path scratch) throws IOException {
    this.container = K8sManifests.container(deployment);
    this.scratch = scratch;
    makeTraversable(scratch);
    PodSecurityContext pod = K8sManifests.pod(deployment).getSecurityContext();
    SecurityContext own = container.getSecurityContext();
    runAsUser = own != null && own.getRunAsUser() != null ? own.getRunAsUser() : pod.getRunAsUser();
    runAsGroup = own != null && own.getRunAsGroup() != null ? own.getRunAsGroup() : pod.getRunAsGroup();
    for (VolumeMount mount : container.getVolumeMounts()) {
      mounts.put(mount.getMountPath(), materialise(volume(deployment, mount.getName())));
    }
    Dockerfile.Stage image = dockerfile.runtime();
    for (Dockerfile.Instruction copy : image.all("COPY")) {
      List<String> operands = copy.operands();
      String destination = operands.get(operands.size() - 1);
      imageFiles.put(destination, layOut(localSource(copy), destination));
    }
    for (Dockerfile.Instruction env : image.all("ENV")) {
      String[] pair = env.arguments().split("=", 2);
      environment.put(pair[0].strip(), pair.length > 1 ? pair[1].strip() : "");
    }
    for (EnvVar variable : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
      if (variable.getValueFrom() != null) {
        throw new AssertionError("env " + variable.getName() + " uses valueFrom: map it in LocalPod");
      }
      environment.put(variable.getName(), variable.getValue());
    }
    workingDirectory = Files.createDirectory(scratch.resolve("workdir"));
    Files.setPosixFilePermissions(workingDirectory, PosixFilePermissions.fromString("r-xr-xr-x"));
  }

  /** The container's command and args, every container path replaced by its local equivalent. */
  List<String> command() {
    List<String> local = new ArrayList<>();
    List<String> all = new ArrayList<>(container.getCommand());
    all.addAll(container.getArgs() == null ? List.of() : container.getArgs());
    for (String arg : all) {
      if (local.isEmpty() && arg.equals("java")) {
        local.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      } else if (arg.startsWith(SHARED_ARCHIVE)) {
        // The class-data-sharing archive is made by the image build for the image's JVM and jar; no local file
        // stands for it, and the JVM would start without it anyway: left out.
        continue;
      } else if (arg.startsWith("/")) {
        local.add(resolve(arg).toString());
      } else {
        local.add(arg);
      }
    }
    return local;
  }

  Map<String, String> environment() {
    return Map.copyOf(environment);
  }

  /** Sets a variable as the container's env would; for the test's own overrides, which it must document. */
  void setEnv(String name, String value) {
    environment.put(name, value);
  }

  Path workingDirectory() {
    return workingDirectory;
  }

  long runAsUser() {
    return runAsUser;
  }

  long runAsGroup() {
    return runAsGroup;
  }

  /** Where a container path is on this machine. */
  Path resolve(String containerPath) {
    String mountPoint = mounts.keySet().stream()
      .filter(m -> containerPath.equals(m) || containerPath.startsWith(m + "/"))
      .max(Comparator.comparingInt(String::length))
      .orElse(null);
    if (mountPoint != null) {
      return mounts.get(mountPoint).resolve(containerPath.substring(mountPoint.length()).replaceFirst("^/", ""));
    }
    Path file = imageFiles.get(containerPath);
    if (file == null) {
      throw new AssertionError("no local equivalent for the container path " + containerPath
        + "; mounts " + mounts.keySet() + ", image files " + imageFiles.keySet());
    }
    return file;
  }

  /** Makes the read-only working directory deletable again once the process is gone. */
  void restoreWritable() throws IOException {
    Files.setPosixFilePermissions(workingDirectory, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Path materialise(Volume volume) throws IOException {
    Path dir = Files.createDirectories(scratch.resolve("volumes").resolve(volume.getName()));
    makeTraversable(dir.getParent());
    if (volume.getConfigMap() != null) {
      makeTraversable(dir);
      for (Map.Entry<String, Path> file : configMapFiles(volume.getConfigMap().getName()).entrySet()) {
        Path target = Files.copy(file.getValue(), dir.resolve(file.getKey()));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
      }
    } else if (volume.getEmptyDir() != null) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    } else {
      throw new AssertionError("volume " + volume.getName() + " is neither a ConfigMap nor an emptyDir: map it");
    }
    return dir;
  }

  /** key -> file of the configMapGenerator that makes the named ConfigMap ("key=file" or "file"). */
  private static Map<String, Path> configMapFiles(String name) {
    JsonNode generator = StreamSupport.stream(K8sManifests.kustomization().path("configMapGenerator").spliterator(),
        false)
      .filter(g -> g.path("name").asText().equals(name))
      .findFirst()
      .orElseThrow(() -> new AssertionError("no configMapGenerator makes " + name));
    Map<String, Path> files = new LinkedHashMap<>();
    for (JsonNode entry : generator.path("files")) {
      String[] keyAndFile = entry.asText().split("=", 2);
      String file = keyAndFile[keyAndFile.length - 1];
      files.put(Path.of(keyAndFile[0]).getFileName().toString(), ProjectFiles.K8S.resolve(file));
    }
    return files;
  }

  /**
   * Copies an image file into the scratch folder, readable by all as in the image: the pod's user must be able to
   * read it wherever the project is checked out.
   */
  private Path layOut(Path source, String destination) throws IOException {
    Path target = scratch.resolve("image").resolve(destination.substring(1));
    Files.createDirectories(target.getParent());
    for (Path dir = target.getParent(); !dir.equals(scratch); dir = dir.getParent()) {
      makeTraversable(dir);
    }
    Files.copy(source, target);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    return target;
  }

  private static Path localSource(Dockerfile.Instruction copy) {
    List<String> operands = copy.operands();
    if (operands.size() != 2) {
      throw new AssertionError("COPY with several sources: map it in LocalPod: " + copy.arguments());
    }
    String source = operands.get(0);
    if (copy.flag("from") == null) {
      return ProjectFiles.ROOT.resolve(source);
    }
    Path jar = Path.of(System.getProperty("ackservice.jar", ProjectFiles.ROOT.resolve("target/ack-fat.jar").toString()));
    if (!source.contains("/target/") || !Path.of(source).getFileName().equals(jar.getFileName())) {
      throw new AssertionError("COPY --from=" + copy.flag("from") + " " + source + " is not the built jar " + jar);
    }
    return jar;
  }

  private static Volume volume(Deployment deployment, String name) {
    return K8sManifests.pod(deployment).getVolumes().stream()
      .filter(v -> v.getName().equals(name))
      .findFirst()
      .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static void makeTraversable(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
