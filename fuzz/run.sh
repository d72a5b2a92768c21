#!/bin/sh
# Run libFuzzer harnesses one after the other, each for a bounded time,
# on a copy of its seed corpus.  Called by "make fuzz":
#
#   run.sh WORKDIR SEEDDIR NAME...
#
# WORKDIR holds the built fuzz_NAME programs; copies of the corpora,
# logs and crash inputs go under it.  SEEDDIR is fuzz/corpus in the
# source tree, written to only when FUZZ_MERGE=1.  Exits 1 if any
# harness failed (a crash, a leak, a timeout or a broken property).
set -u

work=$1
seeds=$2
shift 2
secs=${FUZZ_SECONDS:-60}
merge=${FUZZ_MERGE:-0}

case $secs in
''|*[!0-9]*)
	echo "run.sh: FUZZ_SECONDS must be a number of seconds" >&2
	exit 2
	;;
esac

mkdir -p "$work/corpus" "$work/logs" "$work/crashes" || exit 2
summary=
failed=0
for name in "$@"; do
	prog=$work/fuzz_$name
	corpus=$work/corpus/$name
	log=$work/logs/$name.log
	# A fresh copy each run: the source tree stays as it is.
	rm -rf "$corpus"
	mkdir -p "$corpus"
	if [ -d "$seeds/$name" ]; then
		cp "$seeds/$name"/* "$corpus"/ 2>/dev/null
	fi
	echo "fuzz_$name: ${secs}s"
	"$prog" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$work/crashes/$name-" \
	    "$corpus" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -n 1)
	if [ "$rc" -eq 0 ]; then
		result=ok
	else
		result="FAILED (exit $rc; see $log)"
		failed=1
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|fuzz:)' \
		    "$log" | head -n 5 >&2
		ls "$work/crashes/$name-"* 2>/dev/null >&2
	fi
	if [ "$merge" = 1 ] && [ "$rc" -eq 0 ]; then
		mkdir -p "$seeds/$name"
		"$prog" -merge=1 "$seeds/$name" "$corpus" \
		    >>"$log" 2>&1 || echo "fuzz_$name: merge failed" >&2
	fi
	summary="$summary$(printf '%-16s %12s  %s' "fuzz_$name" \
	    "${execs:-?}" "$result")
"
done

echo
printf '%-16s %12s  %s\n' harness executions result
printf '%s' "$summary"
exit $failed
