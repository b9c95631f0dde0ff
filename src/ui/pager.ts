// Long text in the terminal: through `less` when there is one, else printed.
import { spawnSync } from "node:child_process";

export function page(text: string): void {
  if (process.stdout.isTTY) {
    const result = spawnSync(process.env.PAGER || "less", ["-R", "-X", "-F"], { input: text, stdio: ["pipe", "inherit", "inherit"] });
    if (!result.error && result.status === 0) return;
  }
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}
