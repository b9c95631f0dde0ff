// Small text helpers shared by the renderers.

/** Each non-empty line of `text` with `prefix` in front (empty lines stay empty, with no trailing spaces). */
export function indent(text: string, prefix = "    "): string {
  return text
    .split("\n")
    .map((line) => (line.length ? prefix + line : line))
    .join("\n");
}
