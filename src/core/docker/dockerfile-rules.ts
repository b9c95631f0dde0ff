// drill's teaching rules for a Dockerfile: what an interviewer looks for in a small Python
// service's image. Each rule names the line it is about.
import { copyParts, execForm, finalStage, type Instruction, words } from "./dockerfile.js";

export interface Note {
  /** 1-based line in the file the note is about, when there is one. */
  line?: number;
  message: string;
}

export interface TeachingRule {
  id: string;
  title: string;
  /** One line: why the rule matters. */
  why: string;
  check: (instructions: Instruction[]) => Note[];
}

const REQUIREMENTS_FILE = /(^|\/)requirements[^/]*\.txt$/;

function isPipInstall(instruction: Instruction): boolean {
  return instruction.keyword === "RUN" && /\bpip3?\s+install\b/.test(instruction.args);
}

/** The server's command line: ENTRYPOINT's words followed by CMD's. */
function serverCommand(stage: Instruction[]): { words: string[]; line: number } | undefined {
  const entrypoint = stage.filter((i) => i.keyword === "ENTRYPOINT").at(-1);
  const cmd = stage.filter((i) => i.keyword === "CMD").at(-1);
  if (!cmd && !entrypoint) return undefined;
  return { words: [...(entrypoint ? words(entrypoint.args) : []), ...(cmd ? words(cmd.args) : [])], line: (cmd ?? entrypoint)?.line ?? 0 };
}

/** The value of `--name value` or `--name=value` in a command line. */
function option(command: string[], name: string): string | undefined {
  for (let i = 0; i < command.length; i++) {
    const word = command[i] as string;
    if (word === name) return command[i + 1];
    if (word.startsWith(`${name}=`)) return word.slice(name.length + 1);
  }
  return undefined;
}

const SERVERS = ["uvicorn", "gunicorn", "fastapi", "hypercorn"];

export const TEACHING_RULES: TeachingRule[] = [
  {
    id: "slim-base",
    title: "a slim Python base image",
    why: "python:X-slim is about a tenth of the full image: faster pulls and builds, fewer packages to patch.",
    check(instructions) {
      const from = finalStage(instructions)[0];
      if (from?.keyword !== "FROM") return [{ message: "no FROM instruction: the Dockerfile names no base image" }];
      const image = words(from.args).find((word) => !word.startsWith("--")) ?? "";
      const [name = "", tag = ""] = image.split("@")[0]?.split(":") ?? [];
      if (!/(^|\/)python$/.test(name)) return [{ line: from.line, message: `the base image is ${image}, not an official python image` }];
      if (!tag.includes("slim")) {
        return [{ line: from.line, message: `${image} is the full Debian image (about 1 GB): use a -slim tag, e.g. python:3.12-slim` }];
      }
      return [];
    },
  },
  {
    id: "requirements-first",
    title: "requirements copied and installed before the code",
    why: "Docker reuses a layer until its inputs change: installed first, the dependencies are not reinstalled on every code edit.",
    check(instructions) {
      const stage = finalStage(instructions);
      const copies = stage.filter((i) => i.keyword === "COPY" || i.keyword === "ADD");
      const requirementsCopy = copies.find((i) => {
        const { sources } = copyParts(i.args);
        return sources.length > 0 && sources.every((s) => REQUIREMENTS_FILE.test(s));
      });
      const codeCopy = copies.find((i) => copyParts(i.args).sources.some((s) => !REQUIREMENTS_FILE.test(s)));
      const install = stage.find((i) => isPipInstall(i) && /\s-r\s|--requirement/.test(` ${i.args} `));
      const notes: Note[] = [];
      if (!install) return [{ message: "no RUN pip install -r requirements.txt: the dependencies are never installed" }];
      if (codeCopy && codeCopy.line < install.line) {
        notes.push({
          line: codeCopy.line,
          message: `line ${codeCopy.line} copies the code before the requirements are installed (line ${install.line}): every code change reinstalls every package`,
        });
      } else if (!requirementsCopy) {
        notes.push({ line: install.line, message: "requirements.txt is not copied on its own before the install" });
      }
      if (!codeCopy) notes.push({ message: "the code is never copied into the image (COPY app ./app)" });
      return notes;
    },
  },
  {
    id: "no-pip-cache",
    title: "no pip cache left in the image",
    why: "pip keeps every downloaded wheel in ~/.cache/pip; in an image that is dead weight in a layer (--no-cache-dir).",
    check(instructions) {
      const stage = finalStage(instructions);
      const envOff = stage.some((i) => i.keyword === "ENV" && /\bPIP_NO_CACHE_DIR[=\s]+("?)(1|true|on|yes|off|0)\1/i.test(i.args));
      if (envOff) return [];
      return stage
        .filter((i) => isPipInstall(i) && !/--no-cache-dir\b/.test(i.args))
        .map((i) => ({ line: i.line, message: `line ${i.line} runs pip install without --no-cache-dir` }));
    },
  },
  {
    id: "non-root-user",
    title: "a non-root USER",
    why: "A process that breaks out of the app as root owns the container; a plain user limits the damage.",
    check(instructions) {
      const stage = finalStage(instructions);
      const user = stage.filter((i) => i.keyword === "USER").at(-1);
      if (!user) return [{ line: stage[0]?.line ?? 1, message: "no USER instruction: the server runs as root" }];
      const name = words(user.args)[0]?.split(":")[0] ?? "";
      if (name === "root" || name === "0")
        return [{ line: user.line, message: `line ${user.line} switches to ${name}: the server runs as root` }];
      return [];
    },
  },
  {
    id: "bind-all-interfaces",
    title: "the server bound to 0.0.0.0 on the EXPOSEd port",
    why: "127.0.0.1 inside a container is the container's own loopback: a published port can never reach it.",
    check(instructions) {
      const stage = finalStage(instructions);
      const command = serverCommand(stage);
      if (!command) return [{ message: "no CMD: the image does not say how to start the server" }];
      const server = command.words.find((word) => SERVERS.some((name) => word === name || word.endsWith(`/${name}`)));
      if (!server) return [{ line: command.line, message: `line ${command.line} does not start uvicorn` }];
      const notes: Note[] = [];
      const usesBind = server.endsWith("gunicorn") || server.endsWith("hypercorn");
      const bind = usesBind ? (option(command.words, "--bind") ?? option(command.words, "-b")) : undefined;
      const host = usesBind ? bind?.split(":")[0] : option(command.words, "--host");
      const port = usesBind ? bind?.split(":")[1] : (option(command.words, "--port") ?? "8000");
      if (host !== "0.0.0.0") {
        notes.push({
          line: command.line,
          message: `line ${command.line} binds the server to ${host ?? "127.0.0.1 (uvicorn's default)"}: nothing outside the container can reach it; use --host 0.0.0.0`,
        });
      }
      const exposed = stage.filter((i) => i.keyword === "EXPOSE");
      const ports = exposed.flatMap((i) => words(i.args).map((p) => p.split("/")[0]));
      if (exposed.length === 0)
        notes.push({ line: command.line, message: `no EXPOSE: the image does not document the port ${port ?? ""} it serves on` });
      else if (port && !ports.includes(port)) {
        notes.push({
          line: command.line,
          message: `line ${command.line} serves on port ${port}, but EXPOSE (line ${exposed[0]?.line}) names ${ports.join(", ")}`,
        });
      }
      return notes;
    },
  },
  {
    id: "exec-form-cmd",
    title: "an exec-form CMD",
    why: 'The shell form runs under /bin/sh -c: the server is not PID 1 and never gets docker stop\'s SIGTERM. Use CMD ["uvicorn", ...].',
    check(instructions) {
      const stage = finalStage(instructions);
      const cmd = stage.filter((i) => i.keyword === "CMD").at(-1);
      if (!cmd) return [{ message: "no CMD: the image does not say how to start the server" }];
      if (!execForm(cmd.args)) return [{ line: cmd.line, message: `line ${cmd.line} uses the shell form; write it as a JSON array` }];
      return [];
    },
  },
];
