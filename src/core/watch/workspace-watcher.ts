// Saves in a workspace, as the countdown needs them: changes to its Python files, debounced
// (an editor's save is several writes, a formatter on save is another), with drill's own and
// the environment's folders left out. Native file events where they work; polling where they
// do not (Windows drives under WSL, /mnt/c, deliver none), or when DRILL_WATCH_POLL=1.
import { type Dirent, readdirSync, statSync } from "node:fs";
import { release } from "node:os";
import { basename, join, sep } from "node:path";
import { watch, type FSWatcher } from "chokidar";

/** Folders whose changes are never the learner's edits: the environment, git, caches, drill's marker. */
const IGNORED_DIRS = new Set([
  ".venv",
  "venv",
  ".git",
  "__pycache__",
  ".drill",
  "node_modules",
  ".mypy_cache",
  ".ruff_cache",
  ".pytest_cache",
]);

export interface WorkspaceWatcher {
  /** Resolves when the first scan is done: saves after it are seen. */
  ready: Promise<void>;
  polling: boolean;
  close(): Promise<void>;
}

export interface WatchOptions {
  debounceMs?: number;
  /** File names watched besides *.py, in any folder (practice 00's Dockerfile and compose file). */
  alsoNamed?: readonly string[];
  polling?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Whether file events cannot be trusted for this folder: a Windows drive under WSL, or asked for. */
export function needsPolling(dir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.DRILL_WATCH_POLL === "1") return true;
  const wsl = process.platform === "linux" && /microsoft|wsl/i.test(release());
  return wsl && /^\/mnt\/[a-z](\/|$)/i.test(dir);
}

function isIgnoredPath(path: string): boolean {
  return path.split(sep).some((part) => IGNORED_DIRS.has(part));
}

/**
 * The learner's Python files with their size and modification time. The watcher reports no
 * events for what changes during its first scan (those files are its "initial" state), so the
 * files are listed before it starts and again when it is ready: a difference is a save.
 */
export function pythonFiles(dir: string): Map<string, string> {
  return filesNamed(dir, isPython);
}

function isPython(name: string): boolean {
  return name.endsWith(".py");
}

/** The files under `dir` whose name `wanted` accepts, outside the ignored folders, with their stamps. */
function filesNamed(dir: string, wanted: (name: string) => boolean): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!IGNORED_DIRS.has(entry.name)) walk(path);
      } else if (wanted(entry.name)) {
        try {
          const stats = statSync(path);
          files.set(path, `${stats.size}:${stats.mtimeMs}`);
        } catch {
          // Removed while listed: the next listing says so.
        }
      }
    }
  };
  walk(dir);
  return files;
}

function differences(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = [...after].filter(([path, stamp]) => before.get(path) !== stamp).map(([path]) => path);
  return [...changed, ...[...before.keys()].filter((path) => !after.has(path))];
}

/** Calls `onSave` with the changed .py files (and files named in `alsoNamed`), once per burst of changes (after `debounceMs` of quiet). */
export function watchWorkspace(dir: string, onSave: (files: string[]) => void, options: WatchOptions = {}): WorkspaceWatcher {
  const debounceMs = options.debounceMs ?? 300;
  const polling = options.polling ?? needsPolling(dir, options.env);
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const extra = new Set(options.alsoNamed ?? []);
  const watched = (name: string) => isPython(name) || extra.has(name);
  const before = filesNamed(dir, watched);
  const watcher: FSWatcher = watch(dir, {
    ignoreInitial: true,
    usePolling: polling,
    interval: 250,
    ignored: (path, stats) => {
      if (path === dir) return false;
      if (isIgnoredPath(path.slice(dir.length))) return true;
      return Boolean(stats?.isFile()) && !watched(basename(path));
    },
  });
  const onEvent = (path: string) => {
    if (closed || !watched(basename(path)) || isIgnoredPath(path.slice(dir.length))) return;
    changed.add(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const files = [...changed];
      changed.clear();
      if (!closed) onSave(files);
    }, debounceMs);
  };
  watcher.on("add", onEvent).on("change", onEvent).on("unlink", onEvent);
  // A watcher error (a folder removed under it, too many watches) must not end the countdown.
  watcher.on("error", () => undefined);
  const ready = new Promise<void>((resolve) =>
    watcher.once("ready", () => {
      // Saves made while the first scan ran are in its initial state, not in its events.
      for (const path of differences(before, filesNamed(dir, watched))) onEvent(path);
      resolve();
    }),
  );
  return {
    ready,
    polling,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
