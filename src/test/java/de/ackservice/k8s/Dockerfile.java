package de.ackservice.k8s;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The project's Dockerfile, read simply: instructions (continuation lines joined, comments dropped) grouped into
 * build stages. Enough to compare it with the Deployment, not a full Dockerfile parser.
 */
record Dockerfile(List<Instruction> globalArgs, List<Stage> stages) {

  record Instruction(String keyword, String arguments) {
    /** The words of a shell-form instruction, flags such as {@code --from=build} included. */
    List<String> words() {
      return Arrays.asList(arguments.trim().split("\\s+"));
    }

    /** The value of a {@code --name=value} flag, or null. */
    String flag(String name) {
      return words().stream()
        .filter(w -> w.startsWith("--" + name + "="))
        .map(w -> w.substring(name.length() + 3))
        .findFirst()
        .orElse(null);
    }

    /** Source paths and destination of a COPY, flags left out. */
    List<String> operands() {
      return words().stream().filter(w -> !w.startsWith("--")).toList();
    }

    /** An exec-form (JSON array) argument list such as ENTRYPOINT's; fails for the shell form. */
    List<String> execForm() {
      try {
        return new ObjectMapper().readValue(arguments, new TypeReference<List<String>>() { });
      } catch (Exception e) {
        throw new AssertionError(keyword + " is not in exec form (a JSON array): " + arguments, e);
      }
    }
  }

  record Stage(String image, String name, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The last instruction with that keyword: the one in force for USER, ENTRYPOINT, WORKDIR. */
    Instruction last(String keyword) {
      List<Instruction> found = all(keyword);
      if (found.isEmpty()) {
        throw new AssertionError("the stage FROM " + image + " has no " + keyword);
      }
      return found.get(found.size() - 1);
    }
  }

  static Dockerfile parse(String text) {
    List<Stage> stages = new ArrayList<>();
    List<Instruction> globals = new ArrayList<>();
    List<Instruction> current = null;
    StringBuilder pending = new StringBuilder();
    for (String rawLine : text.split("\n", -1)) {
      String line = rawLine.strip();
      if (pending.length() == 0 && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      pending.append(line);
      String joined = pending.toString().strip();
      pending.setLength(0);
      String[] parts = joined.split("\\s+", 2);
      Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
      if (instruction.keyword().equals("FROM")) {
        List<String> words = instruction.words();
        String name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
        current = new ArrayList<>();
        stages.add(new Stage(words.get(0), name, current));
      } else if (current == null && instruction.keyword().equals("ARG")) {
        globals.add(instruction);
      } else if (current == null) {
        throw new AssertionError("Dockerfile: " + instruction.keyword() + " before the first FROM");
      } else {
        current.add(instruction);
      }
    }
    return new Dockerfile(List.copyOf(globals), List.copyOf(stages));
  }

  static Dockerfile read() {
    return parse(ProjectFiles.text(ProjectFiles.DOCKERFILE));
  }

  /** The default of a global build argument (an ARG before the first FROM), or null when it has none. */
  String argDefault(String name) {
    return globalArgs.stream()
      .map(Instruction::arguments)
      .map(String::strip)
      .filter(a -> a.equals(name) || a.startsWith(name + "="))
      .map(a -> a.contains("=") ? a.substring(a.indexOf('=') + 1) : null)
      .reduce((first, last) -> last)
      .orElse(null);
  }

  /** The build argument a stage's FROM names ({@code ${NAME}}), or null when it names an image directly. */
  static String baseImageArg(Stage stage) {
    var m = java.util.regex.Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(stage.image());
    return m.matches() ? m.group(1) : null;
  }

  /** The stage the image is made of. */
  Stage runtime() {
    return stages.get(stages.size() - 1);
  }

  Stage stage(String name) {
    return stages.stream()
      .filter(s -> name.equals(s.name()))
      .findFirst()
      .orElseThrow(() -> new AssertionError("the Dockerfile has no stage named " + name));
  }
}
