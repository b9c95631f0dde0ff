// Keys turned into input events for the countdown. A key that changes the record must be a
// deliberate single press: bytes that arrive together (a paste, a terminal's send of typed
// text) or keys that follow one another as typing does are a burst, never commands. Pure but
// for the timer it is given, so it is tested without a terminal.

export type InputEvent =
  /** One deliberate key press: "a", "enter", "escape", "up", "space", ... */
  | { kind: "key"; name: string }
  /** Several keys together, or keys typed as text: typing meant for another window. */
  | { kind: "burst"; text: string }
  /** Ctrl-C (or Ctrl-D): always acted on at once. */
  | { kind: "interrupt" };

export interface DecoderOptions {
  /** Keys that arrive within this many ms of each other belong to one burst. */
  burstMs?: number;
  /**
   * After a burst, or a key that is no command (the "e" of "echo"), keys within this many ms of
   * the last one are typing too: someone typing "echo hi" key by key never presses c, h or p.
   */
  typingMs?: number;
  /** The keys that are commands; any other single key starts typing. */
  commands: ReadonlySet<string>;
  now?: () => number;
  schedule?: (run: () => void, ms: number) => () => void;
}

const NAMED: Record<string, string> = {
  "\r": "enter",
  "\n": "enter",
  "\u001b": "escape",
  " ": "space",
  "\u007f": "backspace",
  "\t": "tab",
  "\u001b[A": "up",
  "\u001b[B": "down",
  "\u001b[C": "right",
  "\u001b[D": "left",
};

/** The keys in a chunk of terminal input; an escape sequence (an arrow key) is one key. */
export function splitKeys(data: string): string[] {
  const keys: string[] = [];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the sequences this splits on
  const sequence = /\u001b(?:\[[0-9;?]*[ -/]*[@-~]|O.|.)?|[\s\S]/gu;
  for (const match of data.matchAll(sequence)) keys.push(match[0]);
  return keys;
}

function keyName(raw: string): string {
  return NAMED[raw] ?? (raw.length === 1 && raw >= " " ? raw.toLowerCase() : raw);
}

export class KeyDecoder {
  private pending: string[] = [];
  private cancel: (() => void) | undefined;
  private typingUntil = 0;
  private readonly burstMs: number;
  private readonly typingMs: number;
  private readonly now: () => number;
  private readonly schedule: (run: () => void, ms: number) => () => void;

  constructor(
    private readonly emit: (event: InputEvent) => void,
    private readonly options: DecoderOptions,
  ) {
    this.burstMs = options.burstMs ?? 50;
    this.typingMs = options.typingMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.schedule =
      options.schedule ??
      ((run, ms) => {
        const timer = setTimeout(run, ms);
        return () => clearTimeout(timer);
      });
  }

  feed(data: string): void {
    if (data.includes("\u0003") || data.includes("\u0004")) {
      this.reset();
      this.emit({ kind: "interrupt" });
      return;
    }
    this.pending.push(...splitKeys(data));
    this.cancel?.();
    this.cancel = this.schedule(() => this.settle(), this.burstMs);
  }

  /** Drops keys not yet decided (the countdown is ending). */
  reset(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.pending = [];
  }

  private settle(): void {
    const keys = this.pending;
    this.pending = [];
    this.cancel = undefined;
    if (keys.length === 0) return;
    const at = this.now();
    const typing = at < this.typingUntil;
    const single = keys.length === 1 ? keyName(keys[0] ?? "") : undefined;
    if (single !== undefined && !typing) {
      if (!this.options.commands.has(single)) this.typingUntil = at + this.typingMs;
      this.emit({ kind: "key", name: single });
      return;
    }
    this.typingUntil = at + this.typingMs;
    this.emit({ kind: "burst", text: keys.join("") });
  }
}
