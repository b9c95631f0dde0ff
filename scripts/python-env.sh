#!/usr/bin/env bash
# Creates .venv at the repository root with every practice's pinned requirements, for the
# gates (reference solutions, scaffolds and mutants run with it), and the linters the test
# command runs over the references (scripts/python-dev-requirements.txt), and a wheelhouse of the
# same pins for the offline end-to-end test. Does nothing when the requirements have not changed
# since the last run.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${DRILL_PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
  echo "python-env: $python not found; install Python 3.10+ or set DRILL_PYTHON" >&2
  exit 1
fi

requirements=$(cat drills/*/scaffold/requirements.txt scripts/python-dev-requirements.txt | sed 's/#.*//; s/[[:space:]]*$//' | grep -v '^$' | sort -u)
stamp=$(printf '%s\n' "$requirements" | sha256sum | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ "$(cat .venv/.drill-stamp 2>/dev/null)" = "$stamp" ] && [ "$(cat .wheelhouse/.drill-stamp 2>/dev/null)" = "$stamp" ]; then
  echo "python-env: .venv is up to date"
  exit 0
fi

[ -x .venv/bin/python ] || "$python" -m venv .venv
printf '%s\n' "$requirements" > .venv/requirements.txt
.venv/bin/python -m pip install --disable-pip-version-check --quiet --progress-bar off -r .venv/requirements.txt
echo "$stamp" > .venv/.drill-stamp
# The same pins as wheels in .wheelhouse/, so the end-to-end test's `drill setup` installs with
# PIP_NO_INDEX and PIP_FIND_LINKS pointed here: offline once this has run (pip's cache serves it).
rm -rf .wheelhouse
.venv/bin/python -m pip download --disable-pip-version-check --quiet --progress-bar off -d .wheelhouse -r .venv/requirements.txt
echo "$stamp" > .wheelhouse/.drill-stamp
echo "python-env: installed $(printf '%s\n' "$requirements" | wc -l) pinned packages into .venv"
