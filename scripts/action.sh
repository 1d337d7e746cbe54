#!/usr/bin/env bash
# The GitHub Action's work (action.yml). Inputs come as DOPT_* variables; outputs go to $GITHUB_OUTPUT.
set -uo pipefail
read -r -a args <<< "${DOPT_ARGS:-.}"
out="${GITHUB_OUTPUT:-/dev/null}"

case "${DOPT_MODE:-annotate}" in
  annotate)
    dopt check --output-format sarif "${args[@]}" > "${DOPT_SARIF_FILE:-dopt.sarif}"
    dopt check --output-format github "${args[@]}"
    status=$?
    echo "sarif-file=${DOPT_SARIF_FILE:-dopt.sarif}" >> "$out"
    if [ "$status" -eq 2 ]; then exit 2; fi
    if [ "$status" -eq 1 ] && [ "${DOPT_FAIL_ON_FINDINGS:-true}" = "true" ]; then exit 1; fi
    exit 0
    ;;
  suggest)
    dopt rewrite --diff "${args[@]}" > "${DOPT_DIFF_FILE:-dopt.diff}"
    status=$?
    echo "diff-file=${DOPT_DIFF_FILE:-dopt.diff}" >> "$out"
    if [ "$status" -eq 2 ]; then exit 2; fi
    if [ "$status" -eq 1 ]; then echo "changed=true" >> "$out"; else echo "changed=false" >> "$out"; fi
    exit 0
    ;;
  commit)
    dopt rewrite "${args[@]}"
    status=$?
    if [ "$status" -ne 0 ]; then exit "$status"; fi
    if [ -n "$(git status --porcelain 2>/dev/null)" ]; then echo "changed=true" >> "$out"; else echo "changed=false" >> "$out"; fi
    exit 0
    ;;
  *)
    echo "error: unknown mode '${DOPT_MODE}' (annotate, suggest or commit)" >&2
    exit 2
    ;;
esac
