// How the interview mock reads: its lines in the countdown (the current box, what it is for,
// its time left) and its report (what was green at each boundary), in the countdown's final
// words and in `drill stats`.
import { practiceLabel } from "../core/catalog/practices.js";
import { type BoundaryResult, type MockProgress, type MockReport, mockProgress, mockReport } from "../core/modes/mock.js";
import type { Session } from "../core/record/history.js";
import { practiceOf } from "../core/record/sessions.js";
import { formatDuration } from "../core/record/timeline.js";
import { highlight, logger } from "./logger.js";

/** The title's clock in a mock: the box, its time left, and the day's clock. */
export function mockStatus(session: Session, now: Date): string {
  const progress = mockProgress(session, now);
  const day = `day ${formatDuration(Math.min(progress.clockMs, progress.dayMs))} of ${formatDuration(progress.dayMs)}`;
  if (!progress.current) return `${highlight.warn("the day is over")} · ${day}`;
  const left = formatDuration(progress.boxLeftMs);
  return `${highlight.warn(progress.current.name)} ${left} left · ${day}`;
}

/** The box's line under the title: which box, what it is for, what comes next. */
export function mockBoxLine(progress: MockProgress): string {
  const box = progress.current;
  if (!box) return "The day is over: the last check, then the report.";
  const next = progress.boxes[box.index + 1];
  const then = next ? ` · next: ${next.name}, ${formatDuration(next.endMs - next.startMs)}` : " · then the report";
  return `box ${box.index + 1}/${progress.boxes.length}: ${box.purpose}${then}`;
}

/** Said as a boundary passes (with a bell). */
export function boundaryMessage(progress: MockProgress): string {
  const done = progress.boxes[progress.passed - 1];
  if (!done) return "";
  const over = `⏰ ${formatDuration(done.endMs)}: ${done.name} is over`;
  if (!progress.current) return `${over}, and with it the day: the last check, then the report.`;
  return `${over}, ${progress.current.name} begins; checking what is green.`;
}

/** Said when a mock goes green (with a bell): the day goes on. */
export function greenMessage(session: Session): string {
  const report = mockReport(session);
  const when = report.greenAtMs === undefined ? "" : ` at ${formatDuration(report.greenAtMs)}`;
  return `✔ all green${when}; the day goes on: keep it green through testing and cleanup.`;
}

const SHOWN_IDS = 4;

function ids(list: string[]): string {
  const shown = list.slice(0, SHOWN_IDS).join(" ");
  return list.length > SHOWN_IDS ? `${shown} +${list.length - SHOWN_IDS}` : shown;
}

/** `pending`: the latest boundary of a day still running, whose check may be under way. */
function boundaryLine(result: BoundaryResult, pending: boolean): string {
  const when = `${formatDuration(result.box.endMs).padStart(7)} ${result.box.name.padEnd(15)}`;
  if (!result.reached) return highlight.dim(`  ${when} not reached`);
  const { check } = result;
  if (!check && pending) return `  ${when} ${highlight.dim("its check is due (taken by the countdown)")}`;
  if (!check) return `  ${when} ${highlight.warn("no check")} (the countdown was closed at this boundary)`;
  if (check.error) return `  ${when} ${highlight.fail("✘")} the server did not start`;
  const total = check.passed + check.failed + check.skipped;
  const mark = check.failed === 0 && check.skipped === 0 && check.passed > 0 ? highlight.pass("✔") : highlight.fail("✘");
  const late = result.lateMs >= 60_000 ? highlight.dim(` (checked ${formatDuration(result.lateMs)} late)`) : "";
  const gained = result.newlyGreen.length > 0 ? ` +${ids(result.newlyGreen)}` : "";
  const lost = result.lost.length > 0 ? highlight.fail(` lost ${ids(result.lost)}`) : "";
  return `  ${when} ${mark} ${`${check.passed}/${total}`.padStart(5)}${gained}${lost}${late}`;
}

/** One mock: its practice and day, when it went green, and each boundary's check. */
export function formatMockReport(report: MockReport): string {
  const practice = practiceLabel(practiceOf(report.practice));
  const green =
    report.greenAtMs === undefined
      ? highlight.fail("never all green")
      : highlight.pass(`all green at ${formatDuration(report.greenAtMs)}${report.greenBox ? `, in ${report.greenBox}` : ""}`);
  const state =
    report.endedEarlyAtMs !== undefined
      ? ` · ended early at ${formatDuration(report.endedEarlyAtMs)}`
      : report.over
        ? ""
        : " · still running";
  return [
    `${highlight.practice(`Interview mock: ${practice}`)}, ${new Date(report.startedAt).toLocaleString()}`,
    `  ${green}${state}`,
    highlight.dim("  boundary                 green at the boundary"),
    ...report.boundaries.map((result, index) =>
      boundaryLine(result, !report.over && result.reached && !report.boundaries[index + 1]?.reached),
    ),
  ].join("\n");
}

/** `drill stats`: the mocks in the record, most recent last; nothing when there are none. */
export function printMockReports(reports: MockReport[]): void {
  if (reports.length === 0) return;
  logger.break();
  logger.info(reports.map(formatMockReport).join("\n\n"));
}
