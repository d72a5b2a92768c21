#!/bin/bash
#
# nc-bench.sh -- sshproxy-nc against OpenBSD nc, ncat and socat, in one run,
# on loopback.  See bench/README.md for what each number means.
#
#   SSHPROXY_NC=/abs/path/cmd/sshproxy-nc bench/nc-bench.sh
#   BENCH_QUICK=1 bench/nc-bench.sh          # ~1 minute smoke run
#
# Environment (defaults in brackets; BENCH_QUICK=1 changes the defaults):
#   SSHPROXY_NC        sshproxy-nc binary [<this dir>/../cmd/sshproxy-nc];
#                      skipped with a note if not executable
#   BENCH_BYTES        bytes per relay run, each way [1GiB; quick 64MiB]
#   BENCH_ROUNDS       relay rounds per candidate, median reported [5; 3]
#   BENCH_CONNS        connections per candidate for setup latency [300; 50]
#   BENCH_SSH          0 skips the ssh section [1]
#   BENCH_SSH_BYTES    bytes per ssh transfer [256MiB; 32MiB]
#   BENCH_SSH_ROUNDS   ssh rounds per variant [7; 2]
#   BENCH_SSH_CIPHER   ssh cipher, "default" for ssh's own choice
#                      [aes128-gcm@openssh.com if the CPU has AES, else default]
#   BENCH_NC, BENCH_NCAT, BENCH_SOCAT
#                      path of a peer, or "none" to leave it out [from PATH]
#   BENCH_RAW          also write every raw measurement line to this file
#   BENCH_CC           C compiler for the driver [$CC or cc]
#
# Sizes take K/M/G suffixes, binary (1GiB = 1G = 1073741824).

# bash features are used; make may run us with /bin/sh
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -u

die() { echo "nc-bench: $*" >&2; exit 1; }
note() { echo "nc-bench: $*" >&2; }

[ "$(uname -s)" = Linux ] || { note "Linux only (splice, ptrace, memfd); skipped"; exit 0; }

bench_dir=$(cd "$(dirname "$0")" && pwd) || die "cannot find my directory"
quick=${BENCH_QUICK:-0}
if [ "$quick" = 1 ]; then
	d_bytes=64MiB d_rounds=3 d_conns=50 d_ssh_bytes=32MiB d_ssh_rounds=2
else
	d_bytes=1GiB d_rounds=5 d_conns=300 d_ssh_bytes=256MiB d_ssh_rounds=7
fi
BYTES=${BENCH_BYTES:-$d_bytes}
ROUNDS=${BENCH_ROUNDS:-$d_rounds}
CONNS=${BENCH_CONNS:-$d_conns}
SSH_BYTES=${BENCH_SSH_BYTES:-$d_ssh_bytes}
SSH_ROUNDS=${BENCH_SSH_ROUNDS:-$d_ssh_rounds}
DO_SSH=${BENCH_SSH:-1}
SPNC=${SSHPROXY_NC:-$bench_dir/../cmd/sshproxy-nc}
CCPROG=${BENCH_CC:-${CC:-cc}}

to_bytes() {
	# 1GiB 256M 64k 1000 -> bytes
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
SSH_BYTES_N=$(to_bytes "$SSH_BYTES")
for v in ROUNDS CONNS SSH_ROUNDS; do
	case ${!v} in '' | *[!0-9]*) die "$v must be a number" ;; esac
	[ "${!v}" -ge 1 ] && [ "${!v}" -le 10000 ] || die "$v out of range"
done

# ---- cleanup: every process we start is killed by PID ----
T=$(mktemp -d "${TMPDIR:-/tmp}/nc-bench.XXXXXX") || die "mktemp failed"
PIDS=""
cleanup() {
	local p
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
	grep '^sum ' "$T/out" >>"$T/sums"
	return 0
}

# ---- one benchmark at a time on this machine; warn when it is busy ----
lock=${TMPDIR:-/tmp}/sshproxy-nc-bench.lock
if command -v flock >/dev/null && exec 9>>"$lock"; then
	if ! flock -n 9; then
		note "another nc-bench run holds $lock; waiting (at most 15 min)"
		flock -w 900 9 || die "gave up waiting for $lock"
	fi
fi
busy_check() {
	# percent of one CPU used by others over 1 s, from /proc/stat
	local a b
	a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)
	sleep 1
	b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)
	echo "$a $b" | awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($3 - $1) * 100 / hz }'
}
busy=$(busy_check 2>/dev/null || echo 0)
if [ "${busy:-0}" -gt 15 ]; then
	note "warning: the machine is busy before we start (${busy}% of a CPU used by others); expect noisy numbers"
	ps -eo pid,pcpu,comm --sort=-pcpu 2>/dev/null | sed -n '2,4p' | sed 's/^/nc-bench:   /' >&2
fi

# ---- build the driver ----
"$CCPROG" -O2 -pthread -o "$T/benchrun" "$bench_dir/benchrun.c" 2>"$T/cc.log" || {
	cat "$T/cc.log" >&2
	die "cannot compile $bench_dir/benchrun.c with $CCPROG"
}
: >"$T/raw"
: >"$T/sums"

# ---- candidates ----
# spec file: name TAB argv...; {port} is the driver's server port
spec="$T/relay.tsv"
: >"$spec"
printf 'harness-ceiling\t-\n' >>"$spec"
versions=""
if [ -x "$SPNC" ]; then
	SPNC=$(cd "$(dirname "$SPNC")" && pwd)/$(basename "$SPNC")
	printf 'sshproxy-nc\t%s\t127.0.0.1\t{port}\n' "$SPNC" >>"$spec"
	versions="$versions sshproxy-nc=$("$SPNC" --version 2>/dev/null | head -n1 | awk '{print $NF}')"
else
	note "sshproxy-nc not found at $SPNC (set SSHPROXY_NC); skipped"
	SPNC=""
fi
NC=${BENCH_NC:-$(command -v nc || true)}; [ "$NC" = none ] && NC=""
if [ -n "$NC" ] && "$NC" -h 2>&1 | grep -q OpenBSD; then
	printf 'nc\t%s\t-N\t127.0.0.1\t{port}\n' "$NC" >>"$spec"
	versions="$versions nc=$("$NC" -h 2>&1 | head -n1 | sed -n 's/.*patchlevel \([^)]*\).*/\1/p')"
else
	note "OpenBSD nc (netcat-openbsd) not installed or BENCH_NC=none; skipped, ratios are to nc so they are n/a"
	NC=""
fi
NCAT=${BENCH_NCAT:-$(command -v ncat || true)}; [ "$NCAT" = none ] && NCAT=""
if [ -n "$NCAT" ]; then
	printf 'ncat\t%s\t127.0.0.1\t{port}\n' "$NCAT" >>"$spec"
	versions="$versions ncat=$("$NCAT" --version 2>&1 | awk '/Version/{print $3; exit}')"
else
	note "ncat not installed or BENCH_NCAT=none; skipped"
fi
SOCAT=${BENCH_SOCAT:-$(command -v socat || true)}; [ "$SOCAT" = none ] && SOCAT=""
if [ -n "$SOCAT" ]; then
	printf 'socat\t%s\t-\tTCP:127.0.0.1:{port}\n' "$SOCAT" >>"$spec"
	versions="$versions socat=$("$SOCAT" -V 2>/dev/null | awk '/socat version/{print $3; exit}')"
else
	note "socat not installed or BENCH_SOCAT=none; skipped"
fi
grep -v '^harness-ceiling' "$spec" >"$T/latency.tsv"
[ -s "$T/latency.tsv" ] || die "no candidate installed at all"

echo "nc-bench: $(nproc) CPUs, $(uname -sr), relay $BYTES x $ROUNDS rounds each way," \
	"setup latency x $CONNS, ssh $SSH_BYTES x $SSH_ROUNDS"
echo "nc-bench: versions:$versions"
[ "${busy:-0}" -gt 15 ] && echo "nc-bench: WARNING: ${busy}% of a CPU was busy with other work at the start"

# ---- relay throughput, CPU, peak RSS ----
echo "nc-bench: relay upload ..." >&2
drive relay -d up -b "$BYTES_N" -r "$ROUNDS" "$spec"
echo "nc-bench: relay download ..." >&2
drive relay -d down -b "$BYTES_N" -r "$ROUNDS" "$spec"

# ---- setup latency ----
echo "nc-bench: setup latency ..." >&2
drive latency -c "$CONNS" "$T/latency.tsv"

# ---- ssh through each as ProxyCommand ----
ssh_note=""
start_sshd() {
	local sshd ssh port
	sshd=$(command -v sshd || echo /usr/sbin/sshd)
	ssh=$(command -v ssh || true)
	[ -x "$sshd" ] && [ -n "$ssh" ] && command -v ssh-keygen >/dev/null ||
		{ ssh_note="openssh-server/client not installed"; return 1; }
	if [ ! -d /run/sshd ]; then
		mkdir -m 755 /run/sshd 2>/dev/null ||
			{ ssh_note="/run/sshd missing and cannot be created"; return 1; }
	fi
	ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$T/host_key" &&
		ssh-keygen -q -t ed25519 -N '' -C bench-user -f "$T/user_key" ||
		{ ssh_note="ssh-keygen failed"; return 1; }
	cp "$T/user_key.pub" "$T/authorized_keys"
	echo "benchhost $(cat "$T/host_key.pub")" >"$T/known_hosts"
	for _ in 1 2 3 4 5 6 7 8; do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		cat >"$T/sshd_config" <<-EOF
			Port $port
			ListenAddress 127.0.0.1
			HostKey $T/host_key
			AuthorizedKeysFile $T/authorized_keys
			PidFile $T/sshd.pid
			UsePAM no
			StrictModes no
			PermitRootLogin prohibit-password
			PasswordAuthentication no
			KbdInteractiveAuthentication no
			MaxStartups 100:30:200
			UseDNS no
			PrintMotd no
			PrintLastLog no
			LogLevel ERROR
		EOF
		"$sshd" -D -e -f "$T/sshd_config" 2>"$T/sshd.log" 9>&- &
		SSHD_PID=$!
		PIDS="$PIDS $SSHD_PID"
		write_ssh_config "$port"
		for _ in $(seq 1 50); do
			kill -0 "$SSHD_PID" 2>/dev/null || break
			if "$ssh" -F "$T/ssh_config" direct true </dev/null 2>"$T/ssh.log"; then
				return 0
			fi
			sleep 0.1
		done
		kill "$SSHD_PID" 2>/dev/null
		wait "$SSHD_PID" 2>/dev/null
		PIDS=${PIDS% "$SSHD_PID"}
	done
	ssh_note="throwaway sshd did not come up: $(tail -n1 "$T/sshd.log" "$T/ssh.log" 2>/dev/null | tr '\n' ' ')"
	return 1
}

write_ssh_config() {
	local cipher=${BENCH_SSH_CIPHER:-}
	if [ -z "$cipher" ]; then
		if grep -qw aes /proc/cpuinfo 2>/dev/null &&
			ssh -Q cipher 2>/dev/null | grep -qx aes128-gcm@openssh.com; then
			cipher=aes128-gcm@openssh.com
		else
			cipher=default
		fi
	fi
	SSH_CIPHER=$cipher
	{
		echo "Host direct"
		[ -n "$SPNC" ] && printf 'Host sshproxy-nc\n  ProxyCommand %s %%h %%p\n' "$SPNC"
		[ -n "$SPNC" ] && printf 'Host sshproxy-nc-F\n  ProxyCommand %s -F %%h %%p\n  ProxyUseFdpass yes\n' "$SPNC"
		[ -n "$NC" ] && printf 'Host nc\n  ProxyCommand %s -N %%h %%p\n' "$NC"
		[ -n "$NC" ] && printf 'Host nc-F\n  ProxyCommand %s -F %%h %%p\n  ProxyUseFdpass yes\n' "$NC"
		[ -n "$NCAT" ] && printf 'Host ncat\n  ProxyCommand %s %%h %%p\n' "$NCAT"
		[ -n "$SOCAT" ] && printf 'Host socat\n  ProxyCommand %s - TCP:%%h:%%p\n' "$SOCAT"
		cat <<-EOF
			Host *
			  HostName 127.0.0.1
			  Port $1
			  User $(id -un)
			  IdentityFile $T/user_key
			  IdentitiesOnly yes
			  HostKeyAlias benchhost
			  UserKnownHostsFile $T/known_hosts
			  GlobalKnownHostsFile /dev/null
			  StrictHostKeyChecking yes
			  BatchMode yes
			  ControlMaster no
			  ControlPath none
			  Compression no
			  ForwardAgent no
			  ForwardX11 no
			  RequestTTY no
			  LogLevel ERROR
		EOF
		[ "$cipher" != default ] && echo "  Ciphers $cipher"
	} >"$T/ssh_config"
}

SSH_CIPHER=""
if [ "$DO_SSH" = 1 ]; then
	if start_sshd; then
		sshbin=$(command -v ssh)
		for dir in setup up down; do
			: >"$T/ssh-$dir.tsv"
			n=$SSH_BYTES_N
			case $dir in
			setup) remote="exec true" n=0 ;;
			up) remote="exec cat >/dev/null" ;;
			down) remote="exec head -c $SSH_BYTES_N /dev/zero" ;;
			esac
			for h in direct ${NC:+nc} ${NCAT:+ncat} ${SOCAT:+socat} \
				${SPNC:+sshproxy-nc} ${NC:+nc-F} ${SPNC:+sshproxy-nc-F}; do
				printf '%s\t%s\t-F\t%s\t%s\t%s\n' "$h" "$sshbin" \
					"$T/ssh_config" "$h" "$remote" >>"$T/ssh-$dir.tsv"
			done
			echo "nc-bench: ssh $dir ..." >&2
			drive cmd -d "$dir" -b "$n" -r "$SSH_ROUNDS" "$T/ssh-$dir.tsv"
		done
	else
		note "ssh section skipped: $ssh_note"
	fi
else
	ssh_note="BENCH_SSH=0"
fi

[ -n "${BENCH_RAW:-}" ] && cp "$T/raw" "$BENCH_RAW"

# ---- report ----
awk -v bytes="$BYTES" -v rounds="$ROUNDS" -v conns="$CONNS" \
	-v ssh_bytes="$SSH_BYTES" -v ssh_rounds="$SSH_ROUNDS" \
	-v cipher="$SSH_CIPHER" -v ssh_note="$ssh_note" \
	-f "$bench_dir/report.awk" "$T/raw"
