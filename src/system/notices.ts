// Warnings that core has for the learner (today: history lines that could not be read). Core
// never prints: it hands the words here, and the entry file decides where they go (the ui's
// logger, on stderr, so --json output stays clean). Until then they go nowhere, as in tests
// that call core directly.
type NoticeSink = (message: string) => void;

let sink: NoticeSink = () => {};

export function setNoticeSink(next: NoticeSink): void {
  sink = next;
}

export function notice(message: string): void {
  sink(message);
}
