#!/bin/sh
# Run every conformance case through `phonon query` and compare with the
# expected outputs (tests/conformance/*.expected, produced by Strudel 1.2.6
# with Tidal's euclid rotation; see README.md and SEMANTICS.md here).
# Env: PHONON (the binary, default ./phonon).
set -u
here=$(cd "$(dirname "$0")" && pwd)
phonon=${PHONON:-./phonon}
command -v python3 >/dev/null 2>&1 || { echo "conformance: python3 is needed (make deps)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0
for cases in "$here"/*.cases; do                # every corpus: mini, transforms, extra-*, tidal-*, ...
  set=$(basename "$cases" .cases)
  out="$tmp/$set.actual"
  : > "$out"
  while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    range=${line%%"	"*}
    expr=${line#*"	"}
    from=${range%% *}
    to=${range#* }
    printf '### %s\n' "$line" >> "$out"
    if "$phonon" query "$expr" "$from" "$to" > "$tmp/out" 2> "$tmp/err"; then
      cat "$tmp/out" >> "$out"
    else
      printf 'ERROR %s\n' "$(head -n 1 "$tmp/err")" >> "$out"
    fi
  done < "$cases"
  if python3 "$here/compare.py" -q "$cases" "$here/$set.expected" "$out" > "$tmp/result"; then
    echo "conformance $set: $(tail -n 1 "$tmp/result")"
  else
    cat "$tmp/result"
    status=1
  fi
done
exit $status
