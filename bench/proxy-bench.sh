#!/bin/bash
#
# proxy-bench.sh -- sshproxy-nc against other proxy clients, through the same
# danted (SOCKS5) and tinyproxy (HTTP CONNECT) on loopback, in one
# interleaved run.  See bench/README.md ("Through proxies") for the numbers.
#
#   SSHPROXY_NC=/abs/path/cmd/sshproxy-nc bench/proxy-bench.sh
#   BENCH_QUICK=1 bench/proxy-bench.sh       # ~1 minute smoke run
#
# Environment (defaults in brackets; BENCH_QUICK=1 changes the defaults):
#   SSHPROXY_NC          sshproxy-nc binary [<this dir>/../cmd/sshproxy-nc]
#   BENCH_PROXY_BYTES    bytes per relay run, each way [512MiB; quick 32MiB]
#   BENCH_PROXY_ROUNDS   relay rounds per candidate, median reported [5; 3]
#   BENCH_PROXY_CONNS    connections per candidate for setup latency [300; 40]
#   BENCH_PROXY_SOCKS, BENCH_PROXY_HTTP
#                        0 leaves out the danted or the tinyproxy part [1]
#   BENCH_NC, BENCH_NCAT, BENCH_SOCAT, BENCH_CONNECT, BENCH_CORKSCREW,
#   BENCH_PROXYTUNNEL, BENCH_DANTED, BENCH_TINYPROXY
#                        path of a program, or "none" to leave it out
#                        [from PATH, and /usr/sbin for the two servers]
#   BENCH_PROXY_RAW      also write every raw measurement line to this file
#   BENCH_CC             C compiler for the driver [$CC or cc]
#
# Sizes take K/M/G suffixes, binary (1GiB = 1G = 1073741824).

if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -u

die() { echo "proxy-bench: $*" >&2; exit 1; }
note() { echo "proxy-bench: $*" >&2; }

[ "$(uname -s)" = Linux ] || { note "Linux only (splice, ptrace, memfd); skipped"; exit 0; }

bench_dir=$(cd "$(dirname "$0")" && pwd) || die "cannot find my directory"
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	d_bytes=32MiB d_rounds=3 d_conns=40
else
	d_bytes=512MiB d_rounds=5 d_conns=300
fi
BYTES=${BENCH_PROXY_BYTES:-$d_bytes}
ROUNDS=${BENCH_PROXY_ROUNDS:-$d_rounds}
CONNS=${BENCH_PROXY_CONNS:-$d_conns}
SPNC=${SSHPROXY_NC:-$bench_dir/../cmd/sshproxy-nc}
CCPROG=${BENCH_CC:-${CC:-cc}}

to_bytes() {
	local n=${1%%[!0-9]*} u=${1#"${1%%[!0-9]*}"}
	[ -n "$n" ] || die "bad size: $1"
	case $u in
	"" | B) echo "$n" ;;
	[Kk] | [Kk]iB | [Kk]B) echo $((n << 10)) ;;
	[Mm] | [Mm]iB | [Mm]B) echo $((n << 20)) ;;
	[Gg] | [Gg]iB | [Gg]B) echo $((n << 30)) ;;
	*) die "bad size: $1" ;;
	esac
}
BYTES_N=$(to_bytes "$BYTES")
[ "$BYTES_N" -ge 1048576 ] || die "BENCH_PROXY_BYTES must be at least 1MiB"
for v in ROUNDS CONNS; do
	case ${!v} in '' | *[!0-9]*) die "$v must be a number" ;; esac
	[ "${!v}" -ge 1 ] && [ "${!v}" -le 10000 ] || die "$v out of range"
done

# ---- cleanup: every process we start is killed by PID ----
T=$(mktemp -d "${TMPDIR:-/tmp}/proxy-bench.XXXXXX") || die "mktemp failed"
chmod 755 "$T"	# danted and tinyproxy may drop to nobody
PIDS=""		# waited for after the kill
DANTED_PID=""	# danted itself (its pid file); REAPER holds its helpers
cleanup() {
	local p
	[ -n "$DANTED_PID" ] && kill "$DANTED_PID" 2>/dev/null
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# run the driver in the background so that cleanup can kill it by PID
drive() {
	"$T/benchrun" "$@" >"$T/out" 2>"$T/err" 9>&- &
	local pid=$!
	PIDS="$PIDS $pid"
	wait "$pid"
	local rc=$?
	PIDS=${PIDS% "$pid"}
	cat "$T/out" >>"$T/raw"
	if [ "$rc" -ne 0 ]; then
		cat "$T/err" >&2
		die "driver failed ($*)"
	fi
	return 0
}

# ---- one benchmark at a time on this machine (shared with nc-bench.sh) ----
lock=${TMPDIR:-/tmp}/sshproxy-nc-bench.lock
if command -v flock >/dev/null && exec 9>>"$lock"; then
	if ! flock -n 9; then
		note "another benchmark holds $lock; waiting (at most 15 min)"
		flock -w 900 9 || die "gave up waiting for $lock"
	fi
fi
busy_check() {
	local a b
	a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)
	sleep 1
	b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)
	echo "$a $b" | awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($3 - $1) * 100 / hz }'
}
busy=$(busy_check 2>/dev/null || echo 0)
if [ "${busy:-0}" -gt 15 ]; then
	note "warning: the machine is busy before we start (${busy}% of a CPU used by others); expect noisy numbers"
	ps -eo pid,pcpu,comm --sort=-pcpu 2>/dev/null | sed -n '2,4p' | sed 's/^/proxy-bench:   /' >&2
fi

"$CCPROG" -O2 -pthread -o "$T/benchrun" "$bench_dir/benchrun.c" 2>"$T/cc.log" || {
	cat "$T/cc.log" >&2
	die "cannot compile $bench_dir/benchrun.c with $CCPROG"
}
: >"$T/raw"

# ---- ports ----
# TCP ports in use on this machine (any state), from /proc/net/tcp{,6}
ports_in_use() {
	awk 'FNR > 1 { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
# free_port VAR: a TCP port nobody uses, and not given out before, into VAR
free_port() {
	local used p _
	used=$(ports_in_use)
	for _ in $(seq 1 50); do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		case " $TAKEN " in *" $p "*) continue ;; esac
		if ! printf '%s\n' "$used" | grep -qix "$(printf '%04X' "$p")"; then
			TAKEN="$TAKEN $p"
			printf -v "$1" '%s' "$p"
			return 0
		fi
	done
	die "no free port found"
}
listening() {
	awk -v p="$(printf '%04X' "$1")" 'NR > 1 && $4 == "0A" {
		split($2, a, ":"); if (toupper(a[2]) == p) f = 1 } END { exit !f }' \
		/proc/net/tcp 2>/dev/null
}
# wait_listen PID PORT LOG: up to 5 s
wait_listen() {
	local _
	for _ in $(seq 1 50); do
		kill -0 "$1" 2>/dev/null || break
		listening "$2" && return 0
		sleep 0.1
	done
	note "server did not come up on port $2:"
	sed 's/^/proxy-bench:   /' "$3" >&2
	return 1
}
TAKEN=""
free_port SRV_PORT	# the driver's own server (echo/sink/source)

# ---- proxies ----
progpath() {	# progpath VAR NAME...: VAR's path, or the first NAME in PATH or
		# /usr/sbin; nothing if VAR is "none" or nothing is found
	local v=${!1:-} n
	shift
	[ "$v" = none ] && return 0
	if [ -n "$v" ]; then
		[ -x "$v" ] && echo "$v"
		return 0
	fi
	for n in "$@"; do
		command -v "$n" 2>/dev/null && return 0
		[ -x "/usr/sbin/$n" ] && { echo "/usr/sbin/$n"; return 0; }
	done
	return 0
}

start_danted() {
	local bin port
	bin=$(progpath BENCH_DANTED danted)
	[ -n "$bin" ] || { socks_note="danted (dante-server) not installed or BENCH_DANTED=none"; return 1; }
	free_port port
	{
		echo "logoutput: stderr"
		echo "internal: 127.0.0.1 port = $port"
		echo "external: 127.0.0.1"
		echo "clientmethod: none"
		echo "socksmethod: none"
		if [ "$(id -u)" = 0 ]; then
			echo "user.privileged: root"
			echo "user.unprivileged: nobody"
		fi
		echo "timeout.negotiate: 30"
		echo "timeout.io: 0"
		printf 'client pass {\n\tfrom: 127.0.0.0/8 to: 0/0\n\tlog: error\n}\n'
		printf 'socks pass {\n\tfrom: 127.0.0.0/8 to: 127.0.0.1/32 port = %s\n' "$SRV_PORT"
		printf '\tcommand: connect\n\tlog: error\n}\n'
	} >"$T/danted.conf"
	# danted forks helpers that outlive it: run it under "benchrun reap",
	# a child subreaper that passes SIGTERM on and reaps them all.
	"$T/benchrun" reap "$bin" -f "$T/danted.conf" -p "$T/danted.pid" \
		>"$T/danted.log" 2>&1 9>&- &
	local rp=$!
	PIDS="$PIDS $rp"
	if ! wait_listen "$rp" "$port" "$T/danted.log"; then
		socks_note="danted did not start"
		return 1
	fi
	DANTED_PID=$(cat "$T/danted.pid" 2>/dev/null)
	case $DANTED_PID in '' | *[!0-9]*) DANTED_PID="" ;; esac
	DANTED_PORT=$port
	DANTED_VERSION=$("$bin" -v 2>&1 | awk '{ v = $2; sub(/^v/, "", v); sub(/\.$/, "", v); print v; exit }')
}

start_tinyproxy() {
	local bin port
	bin=$(progpath BENCH_TINYPROXY tinyproxy)
	[ -n "$bin" ] || { http_note="tinyproxy not installed or BENCH_TINYPROXY=none"; return 1; }
	free_port port
	{
		echo "Port $port"
		echo "Listen 127.0.0.1"
		echo "Timeout 600"
		echo "LogLevel Error"
		echo "MaxClients 100"
		echo "DisableViaHeader Yes"
		echo "ConnectPort $SRV_PORT"
		[ "$(id -u)" = 0 ] && echo "User nobody"
	} >"$T/tinyproxy.conf"
	"$bin" -d -c "$T/tinyproxy.conf" >"$T/tinyproxy.log" 2>&1 9>&- &
	local tp=$!
	PIDS="$PIDS $tp"
	if ! wait_listen "$tp" "$port" "$T/tinyproxy.log"; then
		http_note="tinyproxy did not start"
		return 1
	fi
	TINYPROXY_PORT=$port
	TINYPROXY_VERSION=$("$bin" -v 2>&1 | awk '{print $2; exit}')
}

# ---- candidates ----
# spec: name TAB argv...  ({port} = the driver's server port).
# labels: name TAB group TAB role TAB label, for proxy-report.awk
#   group: direct, socks or http; role: ref (no client), self, peer
spec=$T/spec.tsv
labels=$T/labels.tsv
: >"$spec"
: >"$labels"
add() {	# add NAME GROUP ROLE LABEL ARGV...
	local name=$1 group=$2 role=$3 label=$4
	shift 4
	(IFS=$'\t'; echo "$name	$*") >>"$spec"
	printf '%s\t%s\t%s\t%s\n' "$name" "$group" "$role" "$label" >>"$labels"
}
versions=""
if [ -x "$SPNC" ]; then
	SPNC=$(cd "$(dirname "$SPNC")" && pwd)/$(basename "$SPNC")
	versions="$versions sshproxy-nc=$("$SPNC" --version 2>/dev/null | head -n1 | awk '{print $NF}')"
else
	note "sshproxy-nc not found at $SPNC (set SSHPROXY_NC); skipped"
	SPNC=""
fi
NC=$(progpath BENCH_NC nc)
if [ -n "$NC" ] && "$NC" -h 2>&1 | grep -q OpenBSD; then
	versions="$versions nc=$("$NC" -h 2>&1 | head -n1 | sed -n 's/.*patchlevel \([^)]*\).*/\1/p')"
else
	[ -n "$NC" ] && note "$NC is not OpenBSD nc; skipped"
	NC=""
fi
NCAT=$(progpath BENCH_NCAT ncat)
[ -n "$NCAT" ] && versions="$versions ncat=$("$NCAT" --version 2>&1 | awk '/Version/{print $3; exit}')"
SOCAT=$(progpath BENCH_SOCAT socat)
[ -n "$SOCAT" ] && versions="$versions socat=$("$SOCAT" -V 2>/dev/null | awk '/socat version/{print $3; exit}')"
CONNECT=$(progpath BENCH_CONNECT connect-proxy connect)
[ -n "$CONNECT" ] && versions="$versions connect-proxy=$("$CONNECT" -V 2>&1 | awk '/^Version/{print $2; exit}')"
CORK=$(progpath BENCH_CORKSCREW corkscrew)
[ -n "$CORK" ] && versions="$versions corkscrew=$("$CORK" 2>&1 | awk '/^corkscrew/{print $2; exit}')"
PTUN=$(progpath BENCH_PROXYTUNNEL proxytunnel)
[ -n "$PTUN" ] && versions="$versions proxytunnel=$("$PTUN" -V 2>&1 | awk '/[Pp]roxytunnel/{print $2; exit}')"
for p in "nc (netcat-openbsd):$NC" "ncat:$NCAT" "socat:$SOCAT" "connect-proxy:$CONNECT" \
	"corkscrew:$CORK" "proxytunnel:$PTUN"; do
	[ -z "${p#*:}" ] && note "${p%%:*} not installed or set to none; skipped"
done

socks_note="" http_note=""
DANTED_PORT="" TINYPROXY_PORT=""
if [ "${BENCH_PROXY_SOCKS:-1}" = 1 ]; then
	start_danted || note "SOCKS part skipped: $socks_note"
else
	socks_note="BENCH_PROXY_SOCKS=0"
fi
if [ "${BENCH_PROXY_HTTP:-1}" = 1 ]; then
	start_tinyproxy || note "HTTP part skipped: $http_note"
else
	http_note="BENCH_PROXY_HTTP=0"
fi
[ -n "$DANTED_PORT$TINYPROXY_PORT" ] || die "neither danted nor tinyproxy is available"

add direct direct ref "(no proxy, no client)" -
if [ -n "$DANTED_PORT" ]; then
	S=127.0.0.1:$DANTED_PORT
	versions="$versions danted=$DANTED_VERSION"
	add S:ref socks ref "(driver speaks SOCKS5)" - socks5 127.0.0.1 "$DANTED_PORT"
	[ -n "$SPNC" ] && add S:sshproxy-nc socks self "sshproxy-nc -x socks5h://" \
		"$SPNC" -x "socks5h://$S" 127.0.0.1 '{port}'
	[ -n "$NC" ] && add S:nc socks peer "nc -N -X 5 -x" \
		"$NC" -N -X 5 -x "$S" 127.0.0.1 '{port}'
	[ -n "$NCAT" ] && add S:ncat socks peer "ncat --proxy-type socks5" \
		"$NCAT" --proxy-type socks5 --proxy "$S" 127.0.0.1 '{port}'
	# socat 1.7.4 has no SOCKS5, and danted answers SOCKS4a with 0x5B:
	# plain SOCKS4 with a numeric destination
	[ -n "$SOCAT" ] && add S:socat socks peer "socat SOCKS4: (numeric)" \
		"$SOCAT" - "SOCKS4:127.0.0.1:127.0.0.1:{port},socksport=$DANTED_PORT"
	[ -n "$CONNECT" ] && add S:connect socks peer "connect -S" \
		"$CONNECT" -S "$S" 127.0.0.1 '{port}'
fi
if [ -n "$TINYPROXY_PORT" ]; then
	H=127.0.0.1:$TINYPROXY_PORT
	versions="$versions tinyproxy=$TINYPROXY_VERSION"
	add H:ref http ref "(driver speaks CONNECT)" - connect 127.0.0.1 "$TINYPROXY_PORT"
	[ -n "$SPNC" ] && add H:sshproxy-nc http self "sshproxy-nc -x http://" \
		"$SPNC" -x "http://$H" 127.0.0.1 '{port}'
	[ -n "$NC" ] && add H:nc http peer "nc -N -X connect -x" \
		"$NC" -N -X connect -x "$H" 127.0.0.1 '{port}'
	[ -n "$NCAT" ] && add H:ncat http peer "ncat --proxy-type http" \
		"$NCAT" --proxy-type http --proxy "$H" 127.0.0.1 '{port}'
	[ -n "$SOCAT" ] && add H:socat http peer "socat PROXY:" \
		"$SOCAT" - "PROXY:127.0.0.1:127.0.0.1:{port},proxyport=$TINYPROXY_PORT"
	[ -n "$CORK" ] && add H:corkscrew http peer "corkscrew" \
		"$CORK" 127.0.0.1 "$TINYPROXY_PORT" 127.0.0.1 '{port}'
	[ -n "$PTUN" ] && add H:proxytunnel http peer "proxytunnel -q" \
		"$PTUN" -q -p "$H" -d '127.0.0.1:{port}'
	[ -n "$CONNECT" ] && add H:connect http peer "connect -H" \
		"$CONNECT" -H "$H" 127.0.0.1 '{port}'
fi

# ---- preflight: one echo through each client, one small transfer for
# each reference; whatever fails is left out with a note ----
awk -F'\t' '$2 != "-"' "$spec" >"$T/pre-lat.tsv"
awk -F'\t' '$2 == "-"' "$spec" >"$T/pre-ref.tsv"
: >"$T/pre.out"
for f in pre-lat pre-ref; do
	[ -s "$T/$f.tsv" ] || continue
	if [ $f = pre-lat ]; then
		set -- latency -c 1 -w 0
	else
		set -- relay -d up -b 1MiB -r 1 -w 0
	fi
	"$T/benchrun" "$@" -p "$SRV_PORT" "$T/$f.tsv" >>"$T/pre.out" 2>"$T/pre.err" 9>&- &
	pid=$!
	PIDS="$PIDS $pid"
	wait "$pid" || { cat "$T/pre.err" >&2; die "driver failed (preflight)"; }
	PIDS=${PIDS% "$pid"}
done
for n in $(awk '$1 == "sum" && $5 != "ok=1/1" { print $4 }' "$T/pre.out"); do
	note "$n failed its preflight connection; left out"
	awk -F'\t' -v n="$n" '$1 != n' "$spec" >"$T/spec.new" && mv "$T/spec.new" "$spec"
	awk -F'\t' -v n="$n" '$1 != n' "$labels" >"$T/labels.new" && mv "$T/labels.new" "$labels"
done
grep -q '^S:sshproxy-nc	\|^H:sshproxy-nc	' "$spec" ||
	note "no sshproxy-nc candidate left: nothing to judge"
awk -F'\t' '$2 != "-"' "$spec" >"$T/latency.tsv"

echo "proxy-bench: $(nproc) CPUs, $(uname -sr), relay $BYTES x $ROUNDS rounds each way," \
	"setup latency x $CONNS; $(awk 'END { print NR }' "$spec") candidates interleaved"
echo "proxy-bench: versions:$versions"
[ "${busy:-0}" -gt 15 ] && echo "proxy-bench: WARNING: ${busy}% of a CPU was busy with other work at the start"

# ---- relay throughput, CPU, peak RSS; then setup latency ----
echo "proxy-bench: relay upload ..." >&2
drive relay -d up -b "$BYTES_N" -r "$ROUNDS" -p "$SRV_PORT" "$spec"
echo "proxy-bench: relay download ..." >&2
drive relay -d down -b "$BYTES_N" -r "$ROUNDS" -p "$SRV_PORT" "$spec"
echo "proxy-bench: setup latency ..." >&2
[ -s "$T/latency.tsv" ] && drive latency -c "$CONNS" -p "$SRV_PORT" "$T/latency.tsv"

[ -n "${BENCH_PROXY_RAW:-}" ] && cp "$T/raw" "$BENCH_PROXY_RAW"

# ---- report: report.awk parses (its rules and functions), then the END
# of proxy-report.awk prints the proxy tables and exits before report.awk's
# own END ----
awk -v bytes="$BYTES" -v rounds="$ROUNDS" -v conns="$CONNS" \
	-v labels="$labels" -v socks_note="$socks_note" -v http_note="$http_note" \
	-f "$bench_dir/proxy-report.awk" -f "$bench_dir/report.awk" "$T/raw"
