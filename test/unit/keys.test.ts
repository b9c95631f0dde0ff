// The countdown's keys: a deliberate single press is a key; several keys together (a paste, a
// line typed into the wrong window) or keys that follow one another as typing are a burst.
import { describe, expect, it } from "vitest";
import { CheckQueue, type CheckTrigger } from "../../src/core/watch/check-queue.js";
import { KeyDecoder, splitKeys, type InputEvent } from "../../src/ui/keys.js";

/** A decoder on a clock the test moves by hand. */
function harness() {
  let now = 0;
  let timer: { at: number; run: () => void } | undefined;
  const events: InputEvent[] = [];
  const decoder = new KeyDecoder((event) => events.push(event), {
    commands: new Set(["c", "h", "p", "q", "y", "n"]),
    now: () => now,
    schedule: (run, ms) => {
      const entry = { at: now + ms, run };
      timer = entry;
      return () => {
        if (timer === entry) timer = undefined;
      };
    },
  });
  const advance = (ms: number) => {
    now += ms;
    if (timer && timer.at <= now) {
      const { run } = timer;
      timer = undefined;
      run();
    }
  };
  return { decoder, events, advance };
}

describe("KeyDecoder", () => {
  it("turns a single press into a key once 50 ms pass with nothing after it", () => {
    const { decoder, events, advance } = harness();
    decoder.feed("h");
    advance(40);
    expect(events).toEqual([]);
    advance(20);
    expect(events).toEqual([{ kind: "key", name: "h" }]);
  });

  it("takes a line pasted or sent at once as a burst, never as its letters", () => {
    const { decoder, events, advance } = harness();
    decoder.feed("echo hi\r");
    advance(60);
    expect(events).toEqual([{ kind: "burst", text: "echo hi\r" }]);
  });

  it("takes keys 20 ms apart as one burst", () => {
    const { decoder, events, advance } = harness();
    for (const key of "php") {
      decoder.feed(key);
      advance(20);
    }
    advance(60);
    expect(events).toEqual([{ kind: "burst", text: "php" }]);
  });

  it("takes keys typed one by one after a non-command key as typing, not commands", () => {
    const { decoder, events, advance } = harness();
    for (const key of "echo") {
      decoder.feed(key);
      advance(200);
    }
    expect(events).toEqual([
      { kind: "key", name: "e" },
      { kind: "burst", text: "c" },
      { kind: "burst", text: "h" },
      { kind: "burst", text: "o" },
    ]);
    // After a second of quiet, a key is a key again.
    advance(1100);
    decoder.feed("p");
    advance(60);
    expect(events.at(-1)).toEqual({ kind: "key", name: "p" });
  });

  it("acts on two deliberate presses a second apart", () => {
    const { decoder, events, advance } = harness();
    decoder.feed("q");
    advance(1000);
    decoder.feed("y");
    advance(60);
    expect(events).toEqual([
      { kind: "key", name: "q" },
      { kind: "key", name: "y" },
    ]);
  });

  it("acts on Ctrl-C at once, even inside a burst", () => {
    const { decoder, events, advance } = harness();
    decoder.feed("abc\u0003");
    expect(events).toEqual([{ kind: "interrupt" }]);
    advance(100);
    expect(events).toHaveLength(1);
  });

  it("reads an arrow key's escape sequence as one key", () => {
    expect(splitKeys("\u001b[Aq")).toEqual(["\u001b[A", "q"]);
    const { decoder, events, advance } = harness();
    decoder.feed("\u001b");
    advance(60);
    expect(events).toEqual([{ kind: "key", name: "escape" }]);
  });
});

describe("CheckQueue", () => {
  it("runs one check at a time and queues exactly one more, however many saves arrive", async () => {
    const started: CheckTrigger[] = [];
    const releases: Array<() => void> = [];
    const queue = new CheckQueue(
      (trigger) =>
        new Promise<void>((resolve) => {
          started.push(trigger);
          releases.push(resolve);
        }),
    );
    queue.request("save");
    queue.request("save");
    queue.request("save");
    expect(started).toEqual(["save"]);
    expect(queue.waiting).toBe("save");
    releases.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(["save", "save"]);
    expect(queue.waiting).toBeUndefined();
    queue.request("save");
    queue.request("key");
    expect(queue.waiting).toBe("key");
    releases.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(["save", "save", "key"]);
    releases.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(queue.busy).toBe(false);
  });

  it("keeps going after a check that throws", async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const queue = new CheckQueue(
      async () => {
        runs += 1;
        throw new Error("boom");
      },
      (error) => errors.push(error),
    );
    queue.request("save");
    await new Promise((r) => setTimeout(r, 0));
    queue.request("save");
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2);
    expect(errors).toHaveLength(2);
  });
});
