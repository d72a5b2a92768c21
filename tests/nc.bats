#!/usr/bin/env bats
# sshproxy-nc end to end on loopback: a real sshd, socat servers, 64 MiB
# relayed byte for byte, half-close, exit statuses.  No root needed.
# Cases that involve host names live in nc-netns.bats (they need a namespace
# with its own resolver).

load lib/common
load lib/sshd

setup_file() {
	spt_setup_file
	DATA=$BATS_FILE_TMPDIR/data64
	head -c 64M /dev/urandom >"$DATA"
	DATA1M=$BATS_FILE_TMPDIR/data1m
	head -c 1M /dev/urandom >"$DATA1M"
	HAVE_V6=
	if ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/'; then
		HAVE_V6=1
	fi
	spt_sshd_start "$BATS_FILE_TMPDIR/sshd" $HAVE_V6
	export DATA DATA1M HAVE_V6
}

teardown_file() {
	spt_teardown_file
}

setup() {
	spt_setup
	spt_require_nc
	NC=$SSHPROXY_NC
	QNC=$(printf %q "$NC")
	T=$BATS_TEST_TMPDIR
}

teardown() {
	spt_teardown
	rm -f "$BATS_TEST_TMPDIR"/*.bin
}

# Hold a fifo open for writing (without writing) so a reader never sees EOF.
hold_fifo() {
	mkfifo "$1"
	spt_spawn fifo-holder bash -c 'exec sleep 30 >"$1"' _ "$1"
}

# ---------------------------------------------------------------- ssh

@test "ssh with ProxyCommand sshproxy-nc %h %p runs a remote command" {
	spt_run -t 20 ssh -F "$SSH_CONFIG" -o "ProxyCommand=$QNC %h %p" \
		127.0.0.1 'echo hello from sshd; id -un'
	spt_assert_status 0
	[ "$output" = "hello from sshd"$'\n'"$(id -un)" ]
	spt_assert_no_stderr
}

@test "ssh with ProxyCommand sshproxy-nc -F %h %p and ProxyUseFdpass yes" {
	spt_run -t 20 ssh -F "$SSH_CONFIG" -o "ProxyCommand=$QNC -F %h %p" \
		-o ProxyUseFdpass=yes 127.0.0.1 'echo hello via fdpass'
	spt_assert_status 0
	[ "$output" = "hello via fdpass" ]
	spt_assert_no_stderr
}

@test "ssh with ProxyCommand sshproxy-nc to ::1" {
	[ -n "$HAVE_V6" ] || skip "no ::1 on lo"
	spt_run -t 20 ssh -F "$SSH_CONFIG" -o "ProxyCommand=$QNC %h %p" \
		::1 'echo hello over ipv6'
	spt_assert_status 0
	[ "$output" = "hello over ipv6" ]
}

@test "ssh: the ProxyCommand is gone once ssh has exited" {
	cat >"$T/wrap" <<-EOF
	#!/bin/sh
	echo \$\$ >"$T/nc.pid"
	exec $QNC "\$@"
	EOF
	chmod +x "$T/wrap"
	spt_run -t 20 ssh -F "$SSH_CONFIG" -o "ProxyCommand=$(printf %q "$T/wrap") %h %p" \
		127.0.0.1 'echo done'
	spt_assert_status 0
	[ "$output" = "done" ]
	pid=$(cat "$T/nc.pid")
	echo "$pid proxycommand" >>"$SPT_PIDFILE"
	for (( i = 0; i < 40; i++ )); do
		spt_alive "$pid" || break
		sleep 0.05
	done
	if spt_alive "$pid"; then
		echo "sshproxy-nc (pid $pid) still running 2 s after ssh exited" >&2
		return 1
	fi
}

@test "ssh: 64 MiB uploaded and downloaded byte for byte" {
	spt_run -i -t 30 ssh -F "$SSH_CONFIG" -o "ProxyCommand=$QNC %h %p" \
		127.0.0.1 "cat >$(printf %q "$T/up.bin")" <"$DATA"
	spt_assert_status 0
	cmp "$DATA" "$T/up.bin"
	rm -f "$T/up.bin"

	spt_run -t 30 -o "$T/down.bin" ssh -F "$SSH_CONFIG" -o "ProxyCommand=$QNC %h %p" \
		127.0.0.1 "cat $(printf %q "$DATA")"
	spt_assert_status 0
	[ "$(sha256sum <"$T/down.bin")" = "$(sha256sum <"$DATA")" ]
}

@test "ssh -F/ProxyUseFdpass: 64 MiB downloaded byte for byte" {
	spt_run -t 30 -o "$T/down.bin" ssh -F "$SSH_CONFIG" -o "ProxyCommand=$QNC -F %h %p" \
		-o ProxyUseFdpass=yes 127.0.0.1 "cat $(printf %q "$DATA")"
	spt_assert_status 0
	cmp "$DATA" "$T/down.bin"
}

# ---------------------------------------------------------------- raw relay

# 64 MiB through an echo server; $1 says what stdin and stdout are.
echo_64m() {
	spt_server echo EXEC:cat
	local out=$T/echo.bin
	case $1 in
	pipe-pipe)
		spt_run -t 30 bash -c 'cat "$1" | "$2" 127.0.0.1 "$3" | cat >"$4"; exit "${PIPESTATUS[1]}"' \
			_ "$DATA" "$NC" "$SRV_PORT" "$out" ;;
	file-file)
		spt_run -i -t 30 -o "$out" "$NC" 127.0.0.1 "$SRV_PORT" <"$DATA" ;;
	file-pipe)
		spt_run -t 30 bash -c '"$2" 127.0.0.1 "$3" <"$1" | cat >"$4"; exit "${PIPESTATUS[0]}"' \
			_ "$DATA" "$NC" "$SRV_PORT" "$out" ;;
	pipe-file)
		spt_run -t 30 bash -c 'cat "$1" | "$2" 127.0.0.1 "$3" >"$4"; exit "${PIPESTATUS[1]}"' \
			_ "$DATA" "$NC" "$SRV_PORT" "$out" ;;
	esac
	spt_assert_status 0
	spt_assert_no_stderr
	cmp "$DATA" "$out"
}

@test "relay: 64 MiB echoed byte for byte, stdin and stdout pipes (splice)" {
	echo_64m pipe-pipe
}

@test "relay: 64 MiB echoed byte for byte, stdin and stdout regular files" {
	echo_64m file-file
}

@test "relay: 64 MiB echoed byte for byte, stdin a file, stdout a pipe" {
	echo_64m file-pipe
}

@test "relay: 64 MiB echoed byte for byte, stdin a pipe, stdout a file" {
	echo_64m pipe-file
}

@test "relay: -vv says splice(2) moves pipe data and read/write the rest" {
	# Checks that the four 64 MiB cases above really take the paths they
	# are named after.  Depends on the wording of the -vv relay line.
	spt_server -f echo EXEC:cat
	spt_run -t 10 bash -c 'cat "$1" | "$2" -vv 127.0.0.1 "$3" | cat >"$4"; exit "${PIPESTATUS[1]}"' \
		_ "$DATA1M" "$NC" "$SRV_PORT" "$T/out.bin"
	spt_assert_status 0
	cmp "$DATA1M" "$T/out.bin"
	[[ $stderr == *"stdin -> connection spliced"* ]]
	[[ $stderr == *"connection -> stdout spliced"* ]]

	spt_run -i -t 10 -o "$T/out.bin" "$NC" -vv 127.0.0.1 "$SRV_PORT" <"$DATA1M"
	spt_assert_status 0
	cmp "$DATA1M" "$T/out.bin"
	[[ $stderr == *"stdin -> connection copied"* ]]
	[[ $stderr == *"connection -> stdout copied"* ]]
}

@test "relay: stdin EOF reaches the server, its reply still arrives, exit 0" {
	spt_server -f reply 'SYSTEM:wc -c; echo done'
	printf hello >"$T/in"
	spt_run -i -t 10 "$NC" 127.0.0.1 "$SRV_PORT" <"$T/in"
	spt_assert_status 0
	[ "$output" = $'5\ndone' ]
	spt_assert_no_stderr

	spt_run -t 10 bash -c 'printf hello | "$1" 127.0.0.1 "$2" | cat; exit "${PIPESTATUS[1]}"' \
		_ "$NC" "$SRV_PORT"
	spt_assert_status 0
	[ "$output" = $'5\ndone' ]
}

@test "relay: -N is accepted and does the same" {
	spt_server reply 'SYSTEM:wc -c; echo done'
	spt_run -t 10 bash -c 'printf hello | "$1" -N 127.0.0.1 "$2"' _ "$NC" "$SRV_PORT"
	spt_assert_status 0
	[ "$output" = $'5\ndone' ]
}

@test "relay: --no-half-close does not shut the socket down on stdin EOF" {
	# A server that answers after 5 bytes and closes: works.
	spt_server five 'SYSTEM:head -c 5 >/dev/null; echo got5'
	printf hello >"$T/in"
	spt_run -i -t 10 "$NC" --no-half-close 127.0.0.1 "$SRV_PORT" <"$T/in"
	spt_assert_status 0
	[ "$output" = got5 ]

	# A server that waits for EOF never gets it: still connected after 1.5 s.
	spt_server eof 'SYSTEM:wc -c; echo done'
	spt_run -i -t 1.5 "$NC" --no-half-close 127.0.0.1 "$SRV_PORT" <"$T/in"
	spt_assert_status 124
	spt_assert_no_stdout
}

@test "relay: the server closes while stdin is open: all bytes out, exit 0 at once" {
	spt_server -f close "SYSTEM:cat $(printf %q "$DATA1M")"
	hold_fifo "$T/fifo"

	spt_run -i -t 10 -o "$T/out1.bin" "$NC" 127.0.0.1 "$SRV_PORT" <"$T/fifo"
	spt_assert_status 0
	spt_assert_elapsed_below 2000
	cmp "$DATA1M" "$T/out1.bin"

	# Same with stdout a pipe: the reader sees EOF promptly.
	spt_run -t 10 bash -c '"$1" 127.0.0.1 "$2" <"$3" | cat >"$4"; exit "${PIPESTATUS[0]}"' \
		_ "$NC" "$SRV_PORT" "$T/fifo" "$T/out2.bin"
	spt_assert_status 0
	spt_assert_elapsed_below 2000
	cmp "$DATA1M" "$T/out2.bin"
}

@test "relay: host:port and [::1]:port operands" {
	spt_server v4 'SYSTEM:echo hi-v4'
	spt_run -t 10 "$NC" "127.0.0.1:$SRV_PORT"
	spt_assert_status 0
	[ "$output" = hi-v4 ]

	[ -n "$HAVE_V6" ] || skip "no ::1 on lo"
	spt_server -f -a ::1 v6 'SYSTEM:echo hi-v6'
	spt_run -t 10 "$NC" "[::1]:$SRV_PORT"
	spt_assert_status 0
	[ "$output" = hi-v6 ]
	spt_run -t 10 "$NC" ::1 "$SRV_PORT"
	spt_assert_status 0
	[ "$output" = hi-v6 ]
}

@test "relay: -s sets the source address" {
	spt_server -f peer 'SYSTEM:echo "$SOCAT_PEERADDR"'
	spt_run -t 10 "$NC" -s 127.0.0.2 127.0.0.1 "$SRV_PORT"
	spt_assert_status 0
	[ "$output" = 127.0.0.2 ]
	spt_run -t 10 "$NC" --source=127.0.0.3 127.0.0.1 "$SRV_PORT"
	spt_assert_status 0
	[ "$output" = 127.0.0.3 ]
}

@test "relay: SIGHUP (ssh exiting) ends the relay with exit 0" {
	spt_server echo EXEC:cat
	hold_fifo "$T/fifo"
	spt_bg -t 10 nc "$NC" 127.0.0.1 "$SRV_PORT" <"$T/fifo"
	tpid=$BG_PID
	spt_wait_accepts echo 1
	sleep 0.2
	pid=$(spt_bg_child "$tpid")
	spt_alive "$pid"
	t0=$(spt_now_ms)
	kill -HUP "$pid"
	spt_bg_wait "$tpid"
	elapsed=$(( $(spt_now_ms) - t0 ))
	echo "status=$status elapsed_ms=$elapsed stderr: $(cat "$T/nc.err")" >&2
	[ "$status" -eq 0 ]
	(( elapsed < 1000 ))
}

@test "relay: --idle-timeout ends a silent tunnel with exit 75" {
	spt_server -f echo EXEC:cat
	hold_fifo "$T/fifo"
	spt_run -i -t 10 "$NC" -i 1 127.0.0.1 "$SRV_PORT" <"$T/fifo"
	spt_assert_status 75
	spt_assert_no_stdout
	spt_assert_elapsed_above 900
	spt_assert_elapsed_below 3000
}

@test "relay: --idle-timeout counts from the last byte" {
	spt_server -f echo EXEC:cat
	mkfifo "$T/fifo"
	spt_spawn ticker bash -c \
		'exec >"$1"; for i in 1 2 3 4 5 6; do echo tick$i; sleep 0.3; done; exec sleep 30' \
		_ "$T/fifo"
	spt_run -i -t 10 "$NC" --idle-timeout=1 127.0.0.1 "$SRV_PORT" <"$T/fifo"
	spt_assert_status 75
	[ "$output" = "$(printf 'tick%s\n' 1 2 3 4 5 6)" ]
	# last tick at ~1.5 s, then 1 s of silence
	spt_assert_elapsed_above 2300
	spt_assert_elapsed_below 4500
}

# ---------------------------------------------------------------- -z, errors

@test "-z on an open port: exit 0, nothing on stdout or stderr" {
	spt_server -f open 'SYSTEM:true'
	spt_run -t 10 "$NC" -z 127.0.0.1 "$SRV_PORT"
	spt_assert_status 0
	spt_assert_no_stdout
	spt_assert_no_stderr
	spt_wait_accepts open 1

	spt_run -t 10 "$NC" --probe -v 127.0.0.1 "$SRV_PORT"
	spt_assert_status 0
	spt_assert_no_stdout
}

@test "-z on a closed port: exit 1, silent; with -v a message on stderr" {
	port=$(spt_free_port)
	spt_run -t 10 "$NC" -z 127.0.0.1 "$port"
	spt_assert_status 1
	spt_assert_no_stdout
	spt_assert_no_stderr

	spt_run -t 10 "$NC" -z -v 127.0.0.1 "$port"
	spt_assert_status 1
	spt_assert_no_stdout
	spt_assert_diag
}

@test "connection refused: exit 69 with a message; -q: silent" {
	port=$(spt_free_port)
	spt_run -t 10 "$NC" 127.0.0.1 "$port"
	spt_assert_status 69
	spt_assert_no_stdout
	spt_assert_diag

	spt_run -t 10 "$NC" -q 127.0.0.1 "$port"
	spt_assert_status 69
	spt_assert_no_stdout
	spt_assert_no_stderr
}

@test "-q: no diagnostics at all, not even for a malformed port" {
	# spec: "-q, --quiet  no diagnostics at all, not even errors"
	spt_run -t 10 "$NC" -q 127.0.0.1 0
	spt_assert_status 65
	spt_assert_no_stdout
	spt_assert_no_stderr
	spt_run -t 10 "$NC" --quiet 127.0.0.1 65536
	spt_assert_status 65
	spt_assert_no_stdout
	spt_assert_no_stderr
}

@test "-F when stdout is not a unix socket: exit 64, message, no connection" {
	spt_server -f fdpass 'SYSTEM:echo hi'
	spt_run -t 10 "$NC" -F 127.0.0.1 "$SRV_PORT"
	spt_assert_status 64
	spt_assert_no_stdout
	spt_assert_stderr

	spt_run -t 10 bash -c '"$1" --fdpass 127.0.0.1 "$2" | cat; exit "${PIPESTATUS[0]}"' \
		_ "$NC" "$SRV_PORT"
	spt_assert_status 64
	spt_assert_no_stdout
	spt_assert_stderr

	sleep 0.2
	[ "$(spt_server_accepts fdpass)" -eq 0 ]
}

@test "bad port: 0, 65536, abc, 22abc, huge -> exit 65, message, nothing on stdout" {
	for port in 0 65536 abc 22abc 99999999999999999999; do
		spt_run -t 10 "$NC" 127.0.0.1 "$port"
		spt_assert_status 65
		spt_assert_no_stdout
		spt_assert_diag
	done
	spt_run -t 10 "$NC" 127.0.0.1:0
	spt_assert_status 65
	spt_assert_no_stdout
	spt_run -t 10 "$NC" -z 127.0.0.1 65536
	spt_assert_status 65
	spt_assert_no_stdout
	spt_assert_stderr
}

@test "--help and -h: usage on stdout, exit 0" {
	for opt in --help -h; do
		spt_run -t 10 "$NC" "$opt"
		spt_assert_status 0
		spt_assert_no_stderr
		[[ $output == *usage* || $output == *Usage* ]]
		[[ $output == *--idle-timeout* ]]
	done
}

@test "--version: one line on stdout, exit 0" {
	spt_run -t 10 "$NC" --version
	spt_assert_status 0
	spt_assert_no_stderr
	[[ $output =~ ^sshproxy-nc\ \(sshproxy\)\ [0-9][^[:space:]]*$ ]]
}

@test "unknown options: exit 64, message on stderr, nothing on stdout" {
	for opt in --no-such-option -Y; do
		spt_run -t 10 "$NC" "$opt" 127.0.0.1 22
		spt_assert_status 64
		spt_assert_no_stdout
		spt_assert_stderr
	done
	# -z is silent about reachability, not about usage errors.
	spt_run -t 10 "$NC" -z --no-such-option 127.0.0.1 22
	spt_assert_status 64
	spt_assert_no_stdout
	spt_assert_stderr
}

@test "wrong number of operands: exit 64" {
	spt_run -t 10 "$NC"
	spt_assert_status 64
	spt_assert_no_stdout
	spt_assert_stderr
	spt_run -t 10 "$NC" 127.0.0.1 22 23
	spt_assert_status 64
	spt_assert_no_stdout
	spt_assert_stderr
}

@test "bad -w, -i, --he-delay values: exit 64" {
	for args in "-w abc" "-w -1" "-w 1x" "-w ''" "-i abc" "-i -5" "--he-delay=abc" "--he-delay=-1"; do
		eval "set -- $args"
		spt_run -t 10 "$NC" "$@" 127.0.0.1 22
		spt_assert_status 64
		spt_assert_no_stdout
		spt_assert_stderr
	done
}
