#!/usr/bin/env bats
# Load: 200 concurrent ssh sessions through ProxyCommand sshproxy-nc to a
# throwaway sshd, each echoing 256 KiB of its own random data back
# (`cat`), all held open together behind a barrier so that 200 relays
# run at the same time.  Every session must succeed byte for byte.  The
# peak memory of the sshproxy-nc processes (sum of VmRSS at the peak and
# the largest single one, sampled every 50 ms) is printed as TAP
# diagnostics; it is not asserted.

load lib/common
load lib/sshd

N=${SSHPROXY_LOAD_SESSIONS:-200}
CHUNK=262144
WINDOW=32		# handshakes in flight at once
UP_MS=180000		# all sessions up within this

setup_file() {
	spt_setup_file
	export LD_SKIP=
	command -v ssh >/dev/null || LD_SKIP="ssh not installed"
	spt_sshd_bin >/dev/null || LD_SKIP="sshd not installed"
	[[ -n $LD_SKIP ]] && return 0
	# Each session is about six processes (timeout, ssh, sshproxy-nc, two
	# sshd, the remote shell): a container's pids limit can refuse that,
	# which is the machine's limit, not a failure of ours.
	local cg lim cur
	cg=$(sed -n 's/^0:://p' /proc/self/cgroup 2>/dev/null)
	if [[ -n $cg && -r /sys/fs/cgroup$cg/pids.max ]]; then
		lim=$(cat "/sys/fs/cgroup$cg/pids.max")
		cur=$(cat "/sys/fs/cgroup$cg/pids.current" 2>/dev/null || echo 0)
		if [[ $lim != max ]] && (( lim - cur < N * 7 + 100 )); then
			LD_SKIP="cgroup pids.max $lim (in use $cur) cannot hold $N sessions of about 7 processes"
			return 0
		fi
	fi
	# Unauthenticated connections beyond MaxStartups' start are dropped
	# at random: that would be sshd's failure, not ours.
	SPT_SSHD_MAXSTARTUPS=1000:30:2000 SPT_SSHD_LOGINGRACE=120 \
		spt_sshd_start "$BATS_FILE_TMPDIR/sshd"
}

teardown_file() {
	spt_teardown_file
}

setup() {
	[[ -z $LD_SKIP ]] || skip "$LD_SKIP"
	spt_setup
	spt_require_nc
	NC=$SSHPROXY_NC
	T=$BATS_TEST_TMPDIR
}

teardown() {
	spt_teardown
}

@test "load: $N concurrent ssh sessions through sshproxy-nc, 256 KiB each echoed intact" {
	local i bar ready cmd t0 n fail=0 peak
	local dead
	local -a up pids=()
	head -c $(( N * CHUNK )) /dev/urandom >"$T/all"
	mkdir "$T/in" "$T/out" "$T/ready"
	split -a 3 -d -b "$CHUNK" "$T/all" "$T/in/"
	bar=$T/barrier
	mkfifo "$bar"
	# Each session says it is up, waits at the barrier (opening a fifo
	# blocks until the test opens it for writing; no polling, which
	# would fork thousands of sleeps), then echoes.
	cmd="touch $(printf %q "$T/ready")/\$\$; read -r _ <$(printf %q "$bar"); exec cat"

	spt_spawn rsswatch python3 "$top_srcdir/tests/fixtures/rsswatch.py" \
		"$BASHPID" "$NC" "$T/rss" 0.05
	local watch=$SPT_PID

	t0=$(spt_now_ms)
	# At most $WINDOW handshakes in flight: 200 key exchanges at once on
	# 2 cores would test sshd's fork-and-re-exec, the accept queue and
	# LoginGraceTime, not our relay.  The sessions still all run together:
	# none passes the barrier before every one is up.
	# count_up: ready = sessions at the barrier, dead = sessions gone
	# (a dead one never gets there; waiting for it would only time out).
	count_up() {
		local p
		up=( "$T/ready"/* ); ready=${#up[@]}
		dead=0
		for p in "${pids[@]}"; do
			kill -0 "$p" 2>/dev/null || dead=$(( dead + 1 ))
		done
	}
	shopt -s nullglob
	ready=0 dead=0
	for (( i = 0; i < N; i++ )); do
		while (( i - ready - dead >= WINDOW && $(spt_now_ms) - t0 < UP_MS )); do
			sleep 0.05
			count_up
		done
		n=$(printf '%03d' "$i")
		timeout -k 2 300 ssh -F "$SSH_CONFIG" -o ConnectTimeout=60 \
			-o "ProxyCommand=$(printf %q "$NC") %h %p" \
			127.0.0.1 "$cmd" <"$T/in/$n" >"$T/out/$n" 2>"$T/out/$n.err" 3>&- &
		echo "$! ssh-$n" >>"$SPT_PIDFILE"
		pids+=( "$!" )
	done
	# All of them up at the same time (or UP_MS), then let them go.
	while (( $(spt_now_ms) - t0 < UP_MS )); do
		count_up
		(( ready + dead >= N )) && break
		sleep 0.05
	done
	shopt -u nullglob
	echo "# $ready of $N sessions up together after $(( $(spt_now_ms) - t0 )) ms" >&3
	sleep 0.3
	# Open for writing (never blocks: readers wait) and close: EOF to all.
	if (( ready > 0 )); then
		exec 5>"$bar"
		exec 5>&-
	fi
	for (( i = 0; i < N; i++ )); do
		n=$(printf '%03d' "$i")
		if ! wait "$(awk -v n="ssh-$n" '$2 == n { print $1 }' "$SPT_PIDFILE")"; then
			echo "session $n failed: $(head -c 300 "$T/out/$n.err")" >&2
			fail=$(( fail + 1 ))
		elif ! cmp -s "$T/in/$n" "$T/out/$n"; then
			echo "session $n: data differs" >&2
			fail=$(( fail + 1 ))
		fi
	done
	if (( fail > 0 )); then
		# Why, in a few lines: the distinct first lines ssh printed, and
		# what sshd logged that was not routine.
		echo "ssh's errors, counted:" >&2
		for (( i = 0; i < N; i++ )); do
			head -n 1 "$T/out/$(printf '%03d' "$i").err"
		done | sort | uniq -c | sort -rn | head -n 10 >&2
		echo "sshd's log, unusual lines:" >&2
		grep -v 'Accepted publickey\|Connection from\|Received disconnect\|Disconnected from\|Server listening\|session opened\|Starting session\|Close session' \
			"$SSHD_LOG" | cut -c1-200 | sort | uniq -c | sort -rn | head -n 15 >&2
	fi
	echo "# all $N sessions done after $(( $(spt_now_ms) - t0 )) ms, $fail failed" >&3
	kill -TERM "$watch"
	for (( i = 0; i < 40; i++ )); do
		[[ -s $T/rss ]] && break
		sleep 0.05
	done
	peak=$(cat "$T/rss")
	echo "# sshproxy-nc memory: $peak" >&3
	[[ $peak =~ peak_total_kib=([0-9]+).*peak_proc_kib=([0-9]+) ]] &&
		echo "# peak: $(( BASH_REMATCH[1] / 1024 )) MiB RSS in total," \
			"$(( BASH_REMATCH[2] )) KiB the largest process" >&3
	(( ready >= N ))
	(( fail == 0 ))
}
