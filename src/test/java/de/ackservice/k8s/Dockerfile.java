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
record Dockerfile(List<Stage> stages) {

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
      } else if (current == null) {
        throw new AssertionError("Dockerfile: " + instruction.keyword() + " before the first FROM");
      } else {
        current.add(instruction);
      }
    }
    return new Dockerfile(List.copyOf(stages));
  }

  static Dockerfile read() {
    return parse(ProjectFiles.text(ProjectFiles.DOCKERFILE));
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
