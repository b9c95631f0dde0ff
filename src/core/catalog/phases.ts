// The kit's four-phase study plan: what each phase is for and its time target.
import type { Phase } from "../options.js";

export interface PhaseInfo {
  phase: Phase;
  name: string;
  days: string;
  /** The countdown a phase's drill gets by default, in minutes (none for studying). */
  timerMinutes: number | null;
  /** The target as the kit words it. */
  target: string;
}

export const PHASES: Record<Phase, PhaseInfo> = {
  1: { phase: 1, name: "understand", days: "1-2", timerMinutes: null, target: "read each practice and find its 3-5 key blocks" },
  2: { phase: 2, name: "muscle memory", days: "3-4", timerMinutes: 45, target: "type a practice from scratch in 30-45 min" },
  3: { phase: 3, name: "speed drills", days: "5-6", timerMinutes: 60, target: "any practice from memory in 60 min" },
  4: { phase: 4, name: "fire drill", days: "7", timerMinutes: 240, target: "01, 03, 05 and 07 in sequence in 4 hours" },
};

/** The practices of the fire drill, in order. */
export const FIRE_DRILL_PRACTICES = ["01", "03", "05", "07"];
