#!/usr/bin/env bats
# Fault injection with real processes: proxies that die or stall in the
# middle of a handshake, a server that resets the connection mid-transfer,
# SIGHUP and SIGTERM during a transfer, stdin closed, stdout's reader gone,
# storms of harmless signals, too few file descriptors.
#
# Each case asserts the exact exit status (DESIGN.md, docs/design-notes.md),
# at most one line on stderr (exactly one for an error), and that nothing
# hangs: every command runs under `timeout`, and the timeout must not fire.
# No root needed.

load lib/common
load lib/proxies

FAULTSRV=$top_srcdir/tests/fixtures/faultsrv.py

setup_file() {
	spt_setup_file
	DATA=$BATS_FILE_TMPDIR/data128
	head -c 128M /dev/urandom >"$DATA"
	DATA_SUM=$(sha256sum <"$DATA")
	export DATA DATA_SUM
}

teardown_file() {
	spt_teardown_file
}

setup() {
	spt_setup
	spt_require_nc
	command -v socat >/dev/null || skip "socat not installed"
	command -v python3 >/dev/null || skip "python3 not installed"
	NC=$SSHPROXY_NC
	T=$BATS_TEST_TMPDIR
}

teardown() {
	spt_teardown
}

# ---------------------------------------------------------------- helpers

# The timeout around the command did not fire.
assert_no_timeout() {
	if [[ $status == 124 || $status == 137 ]]; then
		echo "the timeout fired (status $status): the program hung" >&2
		return 1
	fi
}

# Exactly one line on stderr, "sshproxy-nc: ...", optionally matching a glob.
assert_one_line() {
	local want=${1:-} n
	spt_assert_diag sshproxy-nc
	n=$(wc -l <"$err_file")
	if [[ $n != 1 ]]; then
		echo "expected exactly one line on stderr, got $n:" >&2
		cat "$err_file" >&2
		return 1
	fi
	# shellcheck disable=SC2053  # $want is a glob on purpose
	if [[ -n $want && $(<"$err_file") != $want ]]; then
		echo "stderr does not match '$want': $(<"$err_file")" >&2
		return 1
	fi
}

# After a background run: point the assertions at its files.
bg_files() {
	err_file=$T/$1.err
	out_file=$T/$1.out
	err_bytes=$(stat -c %s "$err_file")
	out_bytes=$(stat -c %s "$out_file")
	stderr=$(<"$err_file")
	echo "# $1: status=$status stderr: $stderr" >&2
}

# start_faultsrv MODE [options]: sets FS_PORT.
start_faultsrv() {
	local mode=$1 pf i
	shift
	pf=$T/faultsrv-$mode.port
	spt_spawn "faultsrv-$mode" python3 "$FAULTSRV" --mode "$mode" --port-file "$pf" "$@"
	for (( i = 0; i < 100; i++ )); do
		[[ -s $pf ]] && break
		sleep 0.05
	done
	[[ -s $pf ]] || { cat "$T/faultsrv-$mode.log" >&2; return 1; }
	FS_PORT=$(<"$pf")
}

# Hold a fifo open for writing (without writing) so a reader never sees EOF.
hold_fifo() {
	mkfifo "$1"
	spt_spawn fifo-holder bash -c 'exec sleep 60 >"$1"' _ "$1"
}

# pid_of NAME: the PID a wrapper (`bash -c 'echo $$ >F; exec ...'`) wrote.
pid_of() {
	local f=$T/$1.pid i
	for (( i = 0; i < 100; i++ )); do
		[[ -s $f ]] && { cat "$f"; return 0; }
		sleep 0.02
	done
	return 1
}

# storm PID: send harmless signals to PID until it exits: SIGWINCH,
# SIGCHLD and SIGURG (ignored by default: they must not kill us nor cut a
# wait short) and SIGSTOP+SIGCONT pairs (every blocking call is
# interrupted and restarted).  Never SIGHUP/TERM/INT (they mean "stop")
# nor SIGPIPE.  Counts what it sent in $T/storm.count.
storm() {
	spt_spawn storm bash -c '
		p=$1 n=0
		while kill -0 "$p" 2>/dev/null; do
			kill -WINCH "$p"; kill -CHLD "$p"; kill -URG "$p"
			kill -STOP "$p"; kill -CONT "$p"
			n=$(( n + 5 ))
		done 2>/dev/null
		kill -CONT "$p" 2>/dev/null
		echo "$n" >"$2"' _ "$1" "$T/storm.count"
	STORM_PID=$SPT_PID
}

storm_count() {
	local i
	for (( i = 0; i < 100; i++ )); do
		[[ -s $T/storm.count ]] && break
		sleep 0.05
	done
	cat "$T/storm.count" 2>/dev/null || echo 0
}

# Wait until the peer of proxy port P has unread bytes in its socket
# (so that killing the proxy makes the kernel send RST, not FIN).
wait_unread() {
	local port=$1 i q
	for (( i = 0; i < 100; i++ )); do
		q=$(ss -Htn state established "sport = :$port" | awk '{ print $1; exit }')
		[[ -n $q && $q -gt 0 ]] && return 0
		sleep 0.05
	done
	echo "nothing unread on the proxy's side of port $port" >&2
	return 1
}

# ---------------------------------------------------------------- proxy dies mid-handshake

# kill_mid_handshake MODE LOG-REGEX [--unread]: the client connects
# through badproxy MODE; once the log matches, the proxy is killed with
# SIGKILL.  The client must exit 76 with one line.
kill_mid_handshake() {
	local mode=$1 re=$2 unread=${3:-}
	spt_server -f echo EXEC:cat
	start_badproxy "$mode"
	spt_bg -t 20 nc "$NC" -x "$PROXY_URL" 127.0.0.1 "$SRV_PORT" </dev/null
	badproxy_wait_log "$re" 5
	[[ -n $unread ]] && wait_unread "$BADPROXY_PORT"
	kill -KILL "$BADPROXY_PID"
	spt_bg_wait "$BG_PID"
	bg_files nc
	assert_no_timeout
	spt_assert_status 76
	assert_one_line "*proxy closed the connection before finishing its reply"
	spt_assert_no_stdout
}

@test "SOCKS5 proxy killed after the greeting (FIN): exit 76, one line" {
	kill_mid_handshake socks5-stall-request '^1 recv data '
}

@test "SOCKS5 proxy killed with our greeting unread (RST): exit 76, one line" {
	kill_mid_handshake socks5-mute '^1 accept ' --unread
}

@test "HTTP proxy killed after reading CONNECT (FIN): exit 76, one line" {
	kill_mid_handshake http-stall '^1 http line CONNECT '
}

@test "HTTP proxy killed with CONNECT unread (RST): exit 76, one line" {
	kill_mid_handshake http-mute '^1 accept ' --unread
}

# ---------------------------------------------------------------- stalls

# stall_timeout URL: -w 2 against a proxy or server that never answers:
# exit 75 after about 2 s (not the 120 s handshake default).
stall_timeout() {
	spt_run -t 30 "$NC" -w 2 "$@"
	assert_no_timeout
	spt_assert_status 75
	assert_one_line "*connection timed out"
	spt_assert_no_stdout
	spt_assert_elapsed_above 1600
	spt_assert_elapsed_below 7000
}

@test "SOCKS5 proxy accepts and never answers the greeting: exit 75 at -w" {
	start_badproxy socks5-stall
	stall_timeout -x "$PROXY_URL" 127.0.0.1 22
}

@test "SOCKS5 proxy never answers CONNECT: exit 75 at -w" {
	start_badproxy socks5-stall-request
	stall_timeout -x "$PROXY_URL" 127.0.0.1 22
}

@test "HTTP proxy reads CONNECT and never answers: exit 75 at -w" {
	start_badproxy http-stall
	stall_timeout -x "$PROXY_URL" 127.0.0.1 22
}

@test "server whose accept queue is full (SYN dropped): exit 75 at -w" {
	start_faultsrv full
	stall_timeout 127.0.0.1 "$FS_PORT"
}

# ---------------------------------------------------------------- server resets

@test "server resets mid-transfer, stdin busy: exit 1, one line, stdout closed" {
	start_faultsrv rst --after 8388608
	spt_run -t 30 bash -c 'cat "$1" | "$2" 127.0.0.1 "$3" | cat >"$4"; exit "${PIPESTATUS[1]}"' \
		_ "$DATA" "$NC" "$FS_PORT" "$T/down.bin"
	assert_no_timeout
	spt_assert_status 1
	assert_one_line "*Connection reset by peer"
	# The reader saw EOF (the pipeline ended), with at most what was sent.
	(( $(stat -c %s "$T/down.bin") <= 8388608 ))
}

@test "server resets mid-transfer, stdin idle: exit 1, one line, stdout closed" {
	start_faultsrv rst --after 8388608
	hold_fifo "$T/fifo"
	spt_run -t 30 bash -c '"$1" 127.0.0.1 "$2" <"$3" | cat >"$4"; exit "${PIPESTATUS[0]}"' \
		_ "$NC" "$FS_PORT" "$T/fifo" "$T/down.bin"
	assert_no_timeout
	spt_assert_status 1
	assert_one_line "*Connection reset by peer"
	(( $(stat -c %s "$T/down.bin") <= 8388608 ))
}

# ---------------------------------------------------------------- signals mid-transfer

# signal_mid_transfer SIG: both directions busy (stdin /dev/zero, a server
# streaming /dev/zero into a pipe), then SIG.  Sets status and elapsed.
signal_mid_transfer() {
	local sig=$1 pid t0
	spt_server -f zero OPEN:/dev/zero
	mkfifo "$T/down"
	spt_spawn reader bash -c 'exec cat "$1" >/dev/null' _ "$T/down"
	timeout -k 2 20 bash -c 'echo $$ >"$1"; exec "$2" 127.0.0.1 "$3"' \
		_ "$T/nc.pid" "$NC" "$SRV_PORT" </dev/zero >"$T/down" 2>"$T/nc.err" 3>&- &
	BG_PID=$!
	echo "$BG_PID nc" >>"$SPT_PIDFILE"
	pid=$(pid_of nc)
	spt_wait_accepts zero 1
	sleep 0.5
	spt_alive "$pid"
	t0=$(spt_now_ms)
	kill "-$sig" "$pid"
	spt_bg_wait "$BG_PID"
	elapsed_ms=$(( $(spt_now_ms) - t0 ))
	: >"$T/nc.out"
	bg_files nc
	echo "# exited ${elapsed_ms} ms after SIG$sig" >&2
}

@test "SIGHUP (ssh exiting) mid-transfer: exit 0 at once, silent" {
	signal_mid_transfer HUP
	assert_no_timeout
	spt_assert_status 0
	spt_assert_no_stderr
	spt_assert_elapsed_below 3000
}

@test "SIGTERM mid-transfer: dies by SIGTERM at once, silent" {
	signal_mid_transfer TERM
	assert_no_timeout
	spt_assert_status 143
	spt_assert_no_stderr
	spt_assert_elapsed_below 3000
}

# ---------------------------------------------------------------- stdin closed

@test "stdin closed (<&-) before connect: EOF reaches the server, its reply arrives, exit 0" {
	spt_server -f greet 'SYSTEM:echo hello; cat >/dev/null; echo bye'
	spt_run -i -t 10 "$NC" 127.0.0.1 "$SRV_PORT" <&-
	assert_no_timeout
	spt_assert_status 0
	spt_assert_no_stderr
	[ "$output" = $'hello\nbye' ]
}

@test "stdin /dev/null: EOF reaches the server, its reply arrives, exit 0" {
	spt_server -f greet 'SYSTEM:echo hello; cat >/dev/null; echo bye'
	spt_run -t 10 "$NC" 127.0.0.1 "$SRV_PORT" </dev/null
	assert_no_timeout
	spt_assert_status 0
	spt_assert_no_stderr
	[ "$output" = $'hello\nbye' ]
}

# ---------------------------------------------------------------- stdout's reader goes away

@test "stdout's reader exits (head -c 10) while the server streams, stdin idle: exit 0 at once" {
	spt_server -f zero OPEN:/dev/zero
	hold_fifo "$T/fifo"
	spt_run -t 20 bash -c '"$1" 127.0.0.1 "$2" <"$3" | head -c 10 >"$4"; exit "${PIPESTATUS[0]}"' \
		_ "$NC" "$SRV_PORT" "$T/fifo" "$T/head.out"
	assert_no_timeout
	spt_assert_status 0
	spt_assert_no_stderr
	[ "$(stat -c %s "$T/head.out")" = 10 ]
	spt_assert_elapsed_below 3000
}

@test "stdout's reader exits (head -c 10) while both directions stream: exit 0 promptly" {
	spt_server -f zero OPEN:/dev/zero
	spt_run -t 20 bash -c '"$1" 127.0.0.1 "$2" </dev/zero | head -c 10 >"$3"; exit "${PIPESTATUS[0]}"' \
		_ "$NC" "$SRV_PORT" "$T/head.out"
	assert_no_timeout
	spt_assert_status 0
	spt_assert_no_stderr
	[ "$(stat -c %s "$T/head.out")" = 10 ]
	# at most the 1 s we give ssh's last packets (design notes: up_drain)
	spt_assert_elapsed_below 3000
}

# ---------------------------------------------------------------- signal storms

# storm_connect ARGS...: -w 2 to something that never answers, under a
# storm: still exit 75 at about 2 s, one line.
storm_connect() {
	local pid
	timeout -k 2 30 bash -c 'echo $$ >"$1"; shift; exec "$@"' \
		_ "$T/nc.pid" "$NC" -w 2 "$@" </dev/null >"$T/nc.out" 2>"$T/nc.err" 3>&- &
	BG_PID=$!
	echo "$BG_PID nc" >>"$SPT_PIDFILE"
	local t0
	t0=$(spt_now_ms)
	pid=$(pid_of nc)
	storm "$pid"
	spt_bg_wait "$BG_PID"
	elapsed_ms=$(( $(spt_now_ms) - t0 ))
	bg_files nc
	echo "# $(storm_count) signals; exit after ${elapsed_ms} ms" >&2
	assert_no_timeout
	spt_assert_status 75
	assert_one_line "*connection timed out"
	spt_assert_no_stdout
	spt_assert_elapsed_above 1600
	spt_assert_elapsed_below 7000
	(( $(storm_count) > 100 ))
}

@test "signal storm while connecting (accept queue full): exit 75 at -w" {
	start_faultsrv full
	storm_connect 127.0.0.1 "$FS_PORT"
}

@test "signal storm during a SOCKS5 handshake that stalls: exit 75 at -w" {
	start_badproxy socks5-stall-request
	storm_connect -x "$PROXY_URL" 127.0.0.1 22
}

@test "signal storm during an HTTP CONNECT that stalls: exit 75 at -w" {
	start_badproxy http-stall
	storm_connect -x "$PROXY_URL" 127.0.0.1 22
}

# 128 MiB echoed through pipes (splice both ways) under a storm.
@test "signal storm during a 128 MiB relay: every byte back, exit 0" {
	local pid
	spt_server -f echo EXEC:cat
	timeout -k 2 60 bash -c 'cat "$1" | bash -c '\''echo $$ >"$1"; shift; exec "$@"'\'' _ "$2" "$3" 127.0.0.1 "$4" | sha256sum >"$5"; exit "${PIPESTATUS[1]}"' \
		_ "$DATA" "$T/nc.pid" "$NC" "$SRV_PORT" "$T/sum" </dev/null >"$T/nc.out" 2>"$T/nc.err" 3>&- &
	BG_PID=$!
	echo "$BG_PID relay" >>"$SPT_PIDFILE"
	pid=$(pid_of nc)
	storm "$pid"
	spt_bg_wait "$BG_PID"
	bg_files nc
	echo "# $(storm_count) signals during the relay" >&2
	assert_no_timeout
	spt_assert_status 0
	spt_assert_no_stderr
	[ "$(cat "$T/sum")" = "$DATA_SUM" ]
	(( $(storm_count) > 100 ))
}

# ---------------------------------------------------------------- file descriptors

# limited N CMD...: run CMD with only fds 0-2 open and at most N descriptors.
limited() {
	spt_run -t 10 bash -c '
		n=$1; shift
		for f in /proc/$$/fd/*; do
			f=${f##*/}
			(( f > 2 )) && eval "exec $f>&-"
		done
		ulimit -n "$n" && exec "$@"' _ "$@"
}

@test "out of file descriptors (ulimit -n 4, 5, 6) through an HTTP proxy: exit 71, one line" {
	local n
	spt_server -f greet 'SYSTEM:echo hello'
	start_badproxy http-ok
	for n in 4 5 6; do
		limited "$n" "$NC" -x "$PROXY_URL" 127.0.0.1 "$SRV_PORT"
		assert_no_timeout
		spt_assert_status 71
		assert_one_line "*Too many open files"
		spt_assert_no_stdout
	done
	# and with enough of them it works
	spt_run -t 10 "$NC" -x "$PROXY_URL" 127.0.0.1 "$SRV_PORT"
	spt_assert_status 0
	[ "$output" = hello ]
}

@test "ulimit -n 4 (one free descriptor) is enough directly and through SOCKS5" {
	spt_server -f greet 'SYSTEM:echo hello'
	start_badproxy socks5-ok
	limited 4 "$NC" 127.0.0.1 "$SRV_PORT"
	assert_no_timeout
	spt_assert_status 0
	spt_assert_no_stderr
	[ "$output" = hello ]
	limited 4 "$NC" -x "$PROXY_URL" 127.0.0.1 "$SRV_PORT"
	assert_no_timeout
	spt_assert_status 0
	spt_assert_no_stderr
	[ "$output" = hello ]
}
