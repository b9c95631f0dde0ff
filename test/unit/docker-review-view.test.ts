import { describe, expect, it } from "vitest";
import type { DockerReview } from "../../src/core/docker/review.js";
import { formatDockerReview } from "../../src/ui/docker-review.js";

const review: DockerReview = {
  dir: "/ws",
  composeSpec: "compose-spec/compose-spec@170098ba07d9f53c383a41bfd4c5166b0a4529a6 (2026-06-23)",
  rules: [
    {
      requirement: "R00.7",
      id: "slim-base",
      title: "a slim Python base image",
      why: "smaller",
      file: "Dockerfile",
      verdict: "passed",
      notes: [],
    },
    {
      requirement: "R00.8",
      id: "requirements-first",
      title: "requirements before the code",
      why: "layer caching",
      file: "Dockerfile",
      verdict: "failed",
      notes: [{ line: 3, message: "line 3 copies the code first" }],
    },
    {
      requirement: "R00.6",
      id: "hadolint",
      title: "hadolint",
      why: "lint",
      file: "Dockerfile",
      verdict: "unavailable",
      notes: [{ message: "not installed" }],
    },
  ],
};

describe("formatDockerReview", () => {
  it("shows each rule, the notes of those that need work with file:line and why, and a count", () => {
    const lines = formatDockerReview(review).split("\n");
    expect(lines).toEqual([
      "✔ R00.7 a slim Python base image",
      "✘ R00.8 requirements before the code",
      "    Dockerfile:3: line 3 copies the code first",
      "    why: layer caching",
      "? R00.6 hadolint",
      "    Dockerfile: not installed",
      "    why: lint",
      "Compose Specification schema: compose-spec/compose-spec@170098b (2026-06-23)",
      "",
      "1 of 3 Docker rules need work, 1 could not run",
    ]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });
});
