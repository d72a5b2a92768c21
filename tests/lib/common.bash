# tests/lib/common.bash — shared helpers for the BATS suites (and tests/demo.sh).
#
# Usable from bats (`load lib/common`) and from plain bash (`. tests/lib/common.bash`).
# Nothing here talks to anything but loopback.
#
# Environment (set by Makefile.am for `make check`; defaults for running by hand
# from the source tree):
#   top_srcdir     absolute source directory
#   top_builddir   absolute build directory (defaults to top_srcdir)
#   SSHPROXY_NC    the sshproxy-nc binary under test

_spt_libdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$_spt_libdir/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${SSHPROXY_NC:=$top_builddir/cmd/sshproxy-nc}"
export top_srcdir top_builddir SSHPROXY_NC

# Where helpers put logs and state.  Inside a bats test: that test's temp dir;
# in setup_file: the file's temp dir; outside bats: $SPT_TMPDIR (set by caller).
spt_tmpdir() {
	if [[ -n ${SPT_TMPDIR:-} ]]; then
		printf '%s\n' "$SPT_TMPDIR"
	elif [[ -n ${BATS_TEST_TMPDIR:-} && -n ${BATS_TEST_NAME:-} ]]; then
		printf '%s\n' "$BATS_TEST_TMPDIR"
	elif [[ -n ${BATS_FILE_TMPDIR:-} ]]; then
		printf '%s\n' "$BATS_FILE_TMPDIR"
	else
		echo "spt_tmpdir: no temp dir (set SPT_TMPDIR)" >&2
		return 1
	fi
}

# A short name unique to this run: "spt" + 6 random hex digits.
spt_uniq() {
	printf 'spt%06x\n' $(( (RANDOM << 9 ^ RANDOM ^ $$) & 0xffffff ))
}

# Milliseconds since the epoch.
spt_now_ms() {
	local ns
	ns=$(date +%s%N)
	printf '%s\n' $(( ns / 1000000 ))
}

spt_is_root() {
	[[ $(id -u) -eq 0 ]]
}

# Skip the test (or the whole file from setup_file) unless we are root.
spt_require_root() {
	spt_is_root || skip "needs root (network namespaces, nft)"
}

# Skip the test under "make check-valgrind" (SPT_VALGRIND set), saying
# why: for what valgrind legitimately breaks (the program is a wrapper
# script there) or what takes minutes under it and is covered by make
# check-asan.  Valgrind still runs the other tests of the file.
spt_skip_under_valgrind() {
	[[ -z ${SPT_VALGRIND:-} ]] || skip "under valgrind: $*"
}

# Skip unless the binary under test exists.
spt_require_nc() {
	[[ -x $SSHPROXY_NC ]] || skip "sshproxy-nc not built: $SSHPROXY_NC"
}

# --------------------------------------------------------------------------
# Ports

# A TCP port nobody on 127.0.0.1 / ::1 is using right now.  Picked below the
# ephemeral range (so outgoing connections do not take it from under us) and
# remembered per run, so two fixtures of one run never get the same port.
# Usage: spt_free_port [NETNS]   (check inside that namespace)
spt_free_port() {
	local ns=${1:-} p i used claimed
	claimed="${BATS_RUN_TMPDIR:-${SPT_TMPDIR:-/tmp}}/spt-ports"
	for (( i = 0; i < 200; i++ )); do
		p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 12000 ))
		if [[ -f $claimed ]] && grep -qx "$p" "$claimed"; then
			continue
		fi
		if [[ -n $ns ]]; then
			used=$(ip netns exec "$ns" ss -Htuan "sport = :$p")
		else
			used=$(ss -Htuan "sport = :$p")
		fi
		if [[ -z $used ]]; then
			echo "$p" >>"$claimed"
			printf '%s\n' "$p"
			return 0
		fi
	done
	echo "spt_free_port: no free port found" >&2
	return 1
}

# Wait until something listens on TCP ADDR:PORT (without connecting to it,
# so one-shot servers keep their single accept).
# Usage: spt_wait_listen ADDR PORT [SECONDS] [NETNS]
spt_wait_listen() {
	local addr=$1 port=$2 secs=${3:-5} ns=${4:-} i n out
	n=$(( secs * 20 ))
	[[ $addr == *:* ]] && addr="[$addr]"
	for (( i = 0; i < n; i++ )); do
		if [[ -n $ns ]]; then
			out=$(ip netns exec "$ns" ss -Htln "sport = :$port")
		else
			out=$(ss -Htln "sport = :$port")
		fi
		if [[ $out == *"$addr:$port"* || $out == *"*:$port"* ]]; then
			return 0
		fi
		sleep 0.05
	done
	echo "spt_wait_listen: nothing listens on $addr:$port after ${secs}s" >&2
	return 1
}

# Same for UDP (dnsmasq).
spt_wait_udp() {
	local addr=$1 port=$2 secs=${3:-5} ns=${4:-} i n out
	n=$(( secs * 20 ))
	for (( i = 0; i < n; i++ )); do
		if [[ -n $ns ]]; then
			out=$(ip netns exec "$ns" ss -Huan "sport = :$port")
		else
			out=$(ss -Huan "sport = :$port")
		fi
		[[ $out == *"$addr:$port"* ]] && return 0
		sleep 0.05
	done
	echo "spt_wait_udp: nothing listens on udp $addr:$port after ${secs}s" >&2
	return 1
}

# --------------------------------------------------------------------------
# Background fixtures
#
# spt_spawn NAME CMD...   start CMD in the background in its own session
#   (so its children can be stopped with it), stdout+stderr to
#   $(spt_tmpdir)/NAME.log, stdin from /dev/null, bats' fd 3 closed.
#   Records the PID in $SPT_PIDFILE (default $(spt_tmpdir)/spt-pids) and
#   sets SPT_PID.  Stop everything with spt_reap.
spt_pidfile() {
	printf '%s\n' "${SPT_PIDFILE:-$(spt_tmpdir)/spt-pids}"
}

spt_spawn() {
	local name=$1 dir pidfile
	shift
	dir=$(spt_tmpdir) || return 1
	pidfile=$(spt_pidfile)
	setsid "$@" </dev/null >"$dir/$name.log" 2>&1 3>&- 4>&- &
	SPT_PID=$!
	printf '%s %s\n' "$SPT_PID" "$name" >>"$pidfile"
}

# Like spt_spawn but keeps the caller's stdin (for a fifo or file).
spt_spawn_stdin() {
	local name=$1 dir pidfile
	shift
	dir=$(spt_tmpdir) || return 1
	pidfile=$(spt_pidfile)
	setsid "$@" <&0 >"$dir/$name.log" 2>&1 3>&- 4>&- &
	SPT_PID=$!
	printf '%s %s\n' "$SPT_PID" "$name" >>"$pidfile"
}

# Is PID still running (and not a zombie)?
spt_alive() {
	local st
	[[ -r /proc/$1/stat ]] || return 1
	st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
	[[ -n $st && $st != Z ]]
}

# Stop one process we started (by PID): SIGTERM to its process group
# (spt_spawn made it a session leader), then SIGKILL after 3 s.
spt_stop_pid() {
	local pid=$1 i
	[[ $pid =~ ^[0-9]+$ ]] || return 0
	if spt_alive "$pid"; then
		kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
		for (( i = 0; i < 60; i++ )); do
			spt_alive "$pid" || break
			sleep 0.05
		done
		if spt_alive "$pid"; then
			kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	wait "$pid" 2>/dev/null || true
}

# Stop every process recorded in the PID file, newest first.
spt_reap() {
	local pidfile pid name
	pidfile=${1:-$(spt_pidfile)}
	[[ -f $pidfile ]] || return 0
	while read -r pid name; do
		spt_stop_pid "$pid"
	done < <(tac "$pidfile")
	rm -f "$pidfile"
}

# --------------------------------------------------------------------------
# Servers
#
# spt_server [-n NETNS] [-a ADDR] [-p PORT] [-f] NAME SOCAT_ADDRESS
#   socat listening on ADDR (default 127.0.0.1; "::1" for IPv6) at PORT (default:
#   a free one), handing each connection to SOCAT_ADDRESS (EXEC:cat,
#   SYSTEM:'...').  One connection only unless -f (fork).  Logs connections
#   to $(spt_tmpdir)/NAME.log.  Sets SRV_PORT, SRV_PID, SRV_LOG.
spt_server() {
	local ns='' addr=127.0.0.1 port='' fork='' name right listen try o
	local -a cmd
	OPTIND=1
	while getopts n:a:p:f o; do
		case $o in
		n) ns=$OPTARG ;;
		a) addr=$OPTARG ;;
		p) port=$OPTARG ;;
		f) fork=,fork ;;
		*) return 1 ;;
		esac
	done
	shift $(( OPTIND - 1 ))
	name=$1 right=$2
	for (( try = 0; try < 3; try++ )); do
		SRV_PORT=${port:-$(spt_free_port "$ns")} || return 1
		if [[ $addr == *:* ]]; then
			listen="TCP6-LISTEN:$SRV_PORT,bind=[$addr],ipv6only=1"
		else
			listen="TCP4-LISTEN:$SRV_PORT,bind=$addr"
		fi
		cmd=(socat -d -d -t 30 -b 65536 "$listen,reuseaddr$fork" "$right")
		[[ -n $ns ]] && cmd=(ip netns exec "$ns" "${cmd[@]}")
		spt_spawn "$name" "${cmd[@]}"
		SRV_PID=$SPT_PID
		SRV_LOG=$(spt_tmpdir)/$name.log
		spt_wait_listen "$addr" "$SRV_PORT" 5 "$ns" && return 0
		cat "$SRV_LOG" >&2
		spt_stop_pid "$SRV_PID"
		[[ -n $port ]] && break
	done
	return 1
}

# How many connections the socat server NAME accepted so far.
spt_server_accepts() {
	grep -c 'accepting connection' "$(spt_tmpdir)/$1.log" || true
}

# Wait (up to 2 s) until server NAME has accepted at least N connections.
spt_wait_accepts() {
	local name=$1 n=${2:-1} i
	for (( i = 0; i < 40; i++ )); do
		(( $(spt_server_accepts "$name") >= n )) && return 0
		sleep 0.05
	done
	echo "server $name accepted $(spt_server_accepts "$name") connections, expected >= $n" >&2
	return 1
}

# spt_bg [-t SECS] NAME CMD...
#   Start `timeout -k 2 SECS CMD` (default 20 s) in the background, stdin
#   from the caller, stdout to $(spt_tmpdir)/NAME.out, stderr to NAME.err.
#   Sets BG_PID (the timeout process, recorded for spt_reap).
#   spt_bg_child prints the PID of CMD itself; spt_bg_wait collects the exit
#   status into $status.
spt_bg() {
	local secs=20 name dir
	if [[ $1 == -t ]]; then
		secs=$2
		shift 2
	fi
	name=$1
	shift
	dir=$(spt_tmpdir)
	# The explicit <&0: bash gives an async command without a stdin
	# redirection /dev/null.
	timeout -k 2 "$secs" "$@" <&0 >"$dir/$name.out" 2>"$dir/$name.err" 3>&- 4>&- &
	BG_PID=$!
	printf '%s %s\n' "$BG_PID" "$name" >>"$(spt_pidfile)"
}

spt_bg_child() {
	local pid=$1 child i
	for (( i = 0; i < 100; i++ )); do
		child=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null) || true
		child=${child%% *}
		if [[ -n $child ]]; then
			printf '%s\n' "$child"
			return 0
		fi
		sleep 0.02
	done
	return 1
}

spt_bg_wait() {
	status=0
	wait "$1" || status=$?
}

# --------------------------------------------------------------------------
# Running the program under test
#
# spt_run [-t SECS] [-i] [-o FILE] [--] CMD...
#   Runs CMD under `timeout -k 2 SECS` (default 10), stdout and stderr to
#   separate files, stdin from /dev/null unless -i (keep caller's stdin).
#   -o FILE: stdout to FILE and not read into $output (bulk data).
#   Sets: status, output (stdout, trailing newlines stripped), stderr,
#   out_file, err_file, out_bytes, err_bytes, elapsed_ms.
#   Never fails itself: check $status.  status 124 = the timeout hit.
spt_run() {
	local secs=10 keep_stdin=0 dir t0 t1 bulk=
	while (( $# )); do
		case $1 in
		-t) secs=$2; shift 2 ;;
		-i) keep_stdin=1; shift ;;
		-o) bulk=$2; shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	dir=$(spt_tmpdir)
	out_file=${bulk:-$dir/run.stdout}
	err_file=$dir/run.stderr
	status=0
	t0=$(date +%s%N)
	if (( keep_stdin )); then
		timeout -k 2 "$secs" "$@" >"$out_file" 2>"$err_file" || status=$?
	else
		timeout -k 2 "$secs" "$@" </dev/null >"$out_file" 2>"$err_file" || status=$?
	fi
	t1=$(date +%s%N)
	elapsed_ms=$(( (t1 - t0) / 1000000 ))
	if [[ -n $bulk ]]; then
		output="<stdout in $bulk>"
	else
		output=$(tr -d '\0' <"$out_file")
	fi
	stderr=$(cat "$err_file")
	out_bytes=$(stat -c %s "$out_file")
	err_bytes=$(stat -c %s "$err_file")
	# Shown by bats when a test fails.
	{
		printf '# ran: %s\n' "$*"
		printf '# status=%s elapsed_ms=%s stdout=%sB stderr=%sB\n' \
			"$status" "$elapsed_ms" "$out_bytes" "$err_bytes"
		[[ -n $stderr ]] && printf '# stderr: %s\n' "${stderr:0:600}"
	} >&2
	return 0
}

# Assertions with a useful message on failure.
spt_assert_status() {
	if [[ $status != "$1" ]]; then
		echo "expected exit status $1, got $status" >&2
		echo "stdout: ${output:0:300}" >&2
		echo "stderr: ${stderr:0:300}" >&2
		return 1
	fi
}

spt_assert_no_stdout() {
	if [[ $out_bytes != 0 ]]; then
		echo "expected nothing on stdout, got $out_bytes bytes: ${output:0:300}" >&2
		return 1
	fi
}

spt_assert_no_stderr() {
	if [[ $err_bytes != 0 ]]; then
		echo "expected nothing on stderr, got $err_bytes bytes: ${stderr:0:300}" >&2
		return 1
	fi
}

spt_assert_stderr() {
	if [[ $err_bytes == 0 ]]; then
		echo "expected a message on stderr, got nothing" >&2
		return 1
	fi
}

# A diagnostic: one or more lines on stderr, each "sshproxy-nc: ...".
spt_assert_diag() {
	local prog=${1:-sshproxy-nc} line
	if [[ $err_bytes == 0 ]]; then
		echo "expected a diagnostic on stderr, got nothing" >&2
		return 1
	fi
	while IFS= read -r line; do
		if [[ $line != "$prog: "* ]]; then
			echo "stderr line not prefixed with '$prog: ': $line" >&2
			return 1
		fi
	done <"$err_file"
}

# Under "make check-valgrind" an upper bound is not checked (a program
# start alone can take a second there); the rest of the test still is.
spt_assert_elapsed_below() {
	if [[ -n ${SPT_VALGRIND:-} ]]; then
		echo "under valgrind: took ${elapsed_ms} ms, bound $1 ms not checked" >&2
		return 0
	fi
	if (( elapsed_ms >= $1 )); then
		echo "took ${elapsed_ms} ms, expected < $1 ms" >&2
		return 1
	fi
}

spt_assert_elapsed_above() {
	if (( elapsed_ms < $1 )); then
		echo "took ${elapsed_ms} ms, expected >= $1 ms" >&2
		return 1
	fi
}

# Standard per-test / per-file setup and teardown.  A .bats file calls these
# from its own setup/teardown functions.
spt_setup() {
	SPT_PIDFILE=$BATS_TEST_TMPDIR/spt-pids
}

spt_teardown() {
	spt_reap "$BATS_TEST_TMPDIR/spt-pids"
}

spt_setup_file() {
	SPT_PIDFILE=$BATS_FILE_TMPDIR/spt-pids
}

spt_teardown_file() {
	spt_reap "$BATS_FILE_TMPDIR/spt-pids"
}
