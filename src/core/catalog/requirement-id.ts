// How a requirement is named: R03.12 in practice 03, RD1.4 in debugging drill D1. One pattern,
// so a spec, a suite, a mutant and the check's report all agree on what an id is. (The hidden
// suites' harness is shipped on its own and keeps a copy: hidden-tests/harness/http.ts.)

/** The pattern's source, for building larger expressions around it. */
export const REQUIREMENT_ID_SOURCE = String.raw`R(?:\d{2}|D\d)\.\d+`;

/** Exactly one requirement id. */
export const REQUIREMENT_ID = new RegExp(`^${REQUIREMENT_ID_SOURCE}$`);

/** A requirement id at the start of a test's name. */
export const LEADING_REQUIREMENT_ID = new RegExp(`^${REQUIREMENT_ID_SOURCE}`);

/** Every requirement id in a text (a spec): use with String.prototype.match. */
export const REQUIREMENT_IDS_IN_TEXT = new RegExp(String.raw`\b${REQUIREMENT_ID_SOURCE}\b`, "g");
