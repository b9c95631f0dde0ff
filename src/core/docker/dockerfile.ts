// A Dockerfile read as its instructions: line continuations joined, comments and blank lines
// dropped, each instruction with the line it starts on (what a review note names).
//
// Self-contained (Node built-ins only): practice 00's hidden suite imports this folder straight
// from the package, where src/system is not shipped.

export interface Instruction {
  /** The keyword in capitals: FROM, COPY, RUN, CMD, ... */
  keyword: string;
  /** Everything after the keyword, continuations joined with a space. */
  args: string;
  /** 1-based line the instruction starts on. */
  line: number;
}

/** The escape character a `# escape=` parser directive sets (the default is a backslash). */
function escapeCharacter(lines: string[]): string {
  for (const raw of lines) {
    const directive = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(raw.trim());
    if (!directive) break; // directives only come first, before any comment or instruction
    if (directive[1]?.toLowerCase() === "escape" && (directive[2] === "`" || directive[2] === "\\")) return directive[2];
  }
  return "\\";
}

export function parseDockerfile(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const escapeChar = escapeCharacter(lines);
  const instructions: Instruction[] = [];
  let current: { parts: string[]; line: number } | undefined;
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comment lines are dropped, also inside a continued instruction (Docker does the same).
    if (trimmed.startsWith("#")) return;
    if (!current && trimmed === "") return;
    const continued = trimmed.endsWith(escapeChar);
    const body = continued ? trimmed.slice(0, -1).trim() : trimmed;
    if (!current) current = { parts: [], line: index + 1 };
    if (body !== "") current.parts.push(body);
    if (!continued) {
      const joined = current.parts.join(" ");
      const match = /^(\S+)\s*(.*)$/s.exec(joined);
      if (match) instructions.push({ keyword: (match[1] as string).toUpperCase(), args: match[2] ?? "", line: current.line });
      current = undefined;
    }
  });
  if (current?.parts.length) {
    const match = /^(\S+)\s*(.*)$/s.exec(current.parts.join(" "));
    if (match) instructions.push({ keyword: (match[1] as string).toUpperCase(), args: match[2] ?? "", line: current.line });
  }
  return instructions;
}

/** The instructions of the last stage (from its FROM on): the image that runs. */
export function finalStage(instructions: Instruction[]): Instruction[] {
  let start = 0;
  instructions.forEach((instruction, index) => {
    if (instruction.keyword === "FROM") start = index;
  });
  return instructions.slice(start);
}

/** A JSON array of strings (the exec form of CMD, ENTRYPOINT, COPY, ...), or undefined. */
export function execForm(args: string): string[] | undefined {
  const trimmed = args.trim();
  if (!trimmed.startsWith("[")) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === "string")) return parsed as string[];
  } catch {
    return undefined;
  }
  return undefined;
}

/** The words of an instruction's arguments: the exec form's items, or the shell form split on blanks. */
export function words(args: string): string[] {
  return execForm(args) ?? args.trim().split(/\s+/).filter(Boolean);
}

/** COPY / ADD: the sources (flags such as --chown= left out) and the destination. */
export function copyParts(args: string): { sources: string[]; destination: string } {
  const all = words(args).filter((word) => !word.startsWith("--"));
  return { sources: all.slice(0, -1), destination: all.at(-1) ?? "" };
}
