# Sourced by the long-running scripts: `run_with_progress LABEL SECONDS LOG COMMAND...` runs COMMAND with its output in
# LOG and, while it runs, prints every 30 s how far it is (elapsed of SECONDS expected, as a bar), so a person waiting
# sees it move. Returns COMMAND's exit status.
run_with_progress() {
  local label="$1" expected="$2" log="$3"
  shift 3
  "$@" >"$log" 2>&1 &
  local pid=$! start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    local waited=0
    while [ $waited -lt 30 ] && kill -0 "$pid" 2>/dev/null; do
      sleep 1
      waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
      local elapsed=$((SECONDS - start)) filled
      filled=$(( expected > 0 ? elapsed * 30 / expected : 0 ))
      [ "$filled" -gt 30 ] && filled=30
      printf '  %s: [%-30s] %ds of ~%ds\n' "$label" "$(printf '%*s' "$filled" '' | tr ' ' '#')" "$elapsed" "$expected"
    fi
  done
  wait "$pid"
}
