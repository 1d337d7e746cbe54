#!/usr/bin/env bash
# The GitHub Action's work (action.yml). Inputs come as DOPT_* variables; outputs go to $GITHUB_OUTPUT.
# DOPT_ARGS is split like a shell command line (quotes keep a path with spaces whole; newlines separate too).
set -uo pipefail
out="${GITHUB_OUTPUT:-/dev/null}"
tmp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
args=()
while IFS= read -r -d '' a; do args+=("$a"); done < <(
  python3 -c 'import shlex, sys; sys.stdout.write("".join(a + "\0" for a in shlex.split(sys.argv[1])))' "${DOPT_ARGS:-.}"
) || { echo "error: cannot split the args input: ${DOPT_ARGS}" >&2; exit 2; }
if [ "${#args[@]}" -eq 0 ]; then args=(.); fi
sarif="${DOPT_SARIF_FILE:-}"; sarif="${sarif:-$tmp/dopt.sarif}"
diff="${DOPT_DIFF_FILE:-}"; diff="${diff:-$tmp/dopt.diff}"
body="${DOPT_BODY_FILE:-}"; body="${body:-$tmp/dopt-proof.md}"

case "${DOPT_MODE:-annotate}" in
  annotate)
    dopt check --output-format sarif --output-file "$sarif" --quiet "${args[@]}"
    dopt check --output-format github "${args[@]}"
    status=$?
    echo "sarif-file=$sarif" >> "$out"
    if [ "$status" -eq 2 ]; then exit 2; fi
    if [ "$status" -eq 1 ] && [ "${DOPT_FAIL_ON_FINDINGS:-true}" = "true" ]; then exit 1; fi
    exit 0
    ;;
  suggest|commit)
    if [ "${DOPT_VERIFY:-false}" = "true" ]; then
      # build and run before and after; the diff holds only the fixes that pass (DOPT_BUILDER: the builder)
      dopt rewrite --verify --diff --output-format markdown --output-file "$body" "${args[@]}" > "$diff"
      status=$?
      echo "diff-file=$diff" >> "$out"
      echo "body-file=$body" >> "$out"
      if [ "$status" -ge 2 ]; then exit 2; fi
      if [ -s "$diff" ]; then echo "changed=true" >> "$out"; else echo "changed=false" >> "$out"; fi
      if [ "$status" -eq 1 ] && [ ! -s "$diff" ]; then
        echo "error: a rewrite did not pass verification and no fix could be held back (see $body)" >&2
        exit 1
      fi
      if [ "$DOPT_MODE" = "commit" ] && [ -s "$diff" ]; then
        if command -v git >/dev/null 2>&1; then git apply -p0 "$diff"; else patch -p0 -s < "$diff"; fi || exit 2
      fi
      exit 0
    fi
    case "${DOPT_VERIFY:-false}" in false|"") ;; *)
      echo "error: verify must be true or false, not '${DOPT_VERIFY}'" >&2; exit 2 ;;
    esac
    # `changed` is about the files dopt would touch, whatever else the work tree holds
    dopt rewrite --diff "${args[@]}" > "$diff"
    status=$?
    echo "diff-file=$diff" >> "$out"
    if [ "$status" -eq 2 ]; then exit 2; fi
    if [ "$status" -eq 1 ]; then echo "changed=true" >> "$out"; else echo "changed=false" >> "$out"; fi
    if [ "$DOPT_MODE" = "commit" ] && [ "$status" -eq 1 ]; then
      dopt rewrite "${args[@]}" || exit $?
    fi
    exit 0
    ;;
  *)
    echo "error: unknown mode '${DOPT_MODE}' (annotate, suggest or commit)" >&2
    exit 2
    ;;
esac
