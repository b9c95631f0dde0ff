// The readiness criterion "a CORS error debugged without searching", measured on the CORS
// debugging drill (D1): an attempt that went green within the drill's time box with no hint
// and no look at the reference solution before it went green. drill cannot see a web search;
// it says so.
import type { History, Session } from "../record/history.js";
import type { Practice } from "../catalog/practices.js";
import { firstGreen, formatDuration, helpedBy, timeToGreenMs } from "../record/timeline.js";
import type { ReadinessItem } from "./readiness.js";

/** The debugging drill the criterion is measured on. */
const CORS_DRILL_ID = "D1";

/** Help taken before the attempt went green: a hint, or the reference solution seen. */
function helpedBeforeGreen(session: Session): boolean {
  const green = firstGreen(session);
  return green !== undefined && helpedBy(session, green.at);
}

export function corsDrillDebugged(history: Pick<History, "sessions">, practices: Practice[]): ReadinessItem {
  const base = { id: "cors-debugged", label: "A CORS error debugged without searching" } as const;
  const honesty = "drill counts hints and looks at the reference, and cannot tell whether you searched the web";
  const drill = practices.find((p) => p.id === CORS_DRILL_ID && p.debug);
  if (!drill?.debug) {
    return { ...base, met: false, evidence: `this drill has no CORS debugging drill (${CORS_DRILL_ID})`, stillNeeds: "update drill" };
  }
  const boxMs = drill.debug.timeBoxMinutes * 60_000;
  const box = formatDuration(boxMs);
  const command = `\`drill debug ${drill.debug.name}\``;
  const green = history.sessions.flatMap((session) => {
    const ms = session.practice === drill.slug ? timeToGreenMs(session) : undefined;
    return ms === undefined ? [] : [{ session, ms, helped: helpedBeforeGreen(session) }];
  });
  const unaided = green.filter((attempt) => !attempt.helped);
  const inTime = unaided.filter((attempt) => attempt.ms <= boxMs).sort((a, b) => a.ms - b.ms)[0];
  if (inTime) {
    return {
      ...base,
      met: true,
      evidence: `${drill.id} green in ${formatDuration(inTime.ms)} (time box ${box}) on ${inTime.session.startedAt.slice(0, 10)}, without a hint (${honesty})`,
      stillNeeds: null,
    };
  }
  if (green.length === 0) {
    const tried = history.sessions.filter((s) => s.practice === drill.slug).length;
    return {
      ...base,
      met: false,
      evidence: tried === 0 ? `no attempt at ${drill.id} yet` : `${tried} attempt${tried === 1 ? "" : "s"} at ${drill.id}, none green yet`,
      stillNeeds: `${command}: take it to green within ${box} without \`drill hint\``,
    };
  }
  if (unaided.length === 0) {
    return {
      ...base,
      met: false,
      evidence: `every green attempt at ${drill.id} took a hint or looked at the reference first (${honesty})`,
      stillNeeds: `${command} again, green within ${box} without \`drill hint\``,
    };
  }
  const best = Math.min(...unaided.map((attempt) => attempt.ms));
  return {
    ...base,
    met: false,
    evidence: `best unaided time to green at ${drill.id} ${formatDuration(best)}, over its time box of ${box}`,
    stillNeeds: `${command} again: green within ${box} without \`drill hint\``,
  };
}
