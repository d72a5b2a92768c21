#!/usr/bin/env bats
# sshproxy-nc through real proxies (danted, microsocks, tinyproxy, an HTTPS
# proxy made of stunnel + tinyproxy, squid with Digest auth) and through
# tests/fixtures/badproxy.py, which misbehaves on purpose.  Root only: danted
# authenticates against a throwaway system account, and every case in which
# a made-up name could be looked up runs in a network namespace of our own
# whose resolver (a dnsmasq on 127.0.0.53) logs each query.
#
# Each case checks the exit status, the words of the message on stderr,
# and that stdout carries the tunnel's bytes and nothing else.
#
# Default namespace, loopback only (destinations are IP literals):
#   SSHD_PORT   a throwaway sshd (tests/lib/sshd.bash)
#   BANNER      sends "SSH-2.0-target\r\n" and closes
#   ECHO        echoes until EOF (cat)
#   SIZED       echoes exactly 64 MiB, then closes (for proxies that lose
#               half-close)
#   CLOSED      nothing listens there
#   DANTE       danted, no auth          DANTE_AUTH  danted, user/password
#   MS          microsocks               MS_AUTH     microsocks, mike:"m1ke pw"
#   TP          tinyproxy, Basic bob:bobpw, ConnectPort SSHD BANNER SIZED CLOSED
#   TLSP        stunnel (TLS) in front of a tinyproxy without auth
#   DIGEST      squid, Digest auth carol:"c4r0l pw"
#   NTLM        squid offering NTLM (any user and password) and Basic dave:davepw
# Namespace $NS (only lo; hosts file + dnsmasq of its own):
#   NS_BANNER   the same banner server inside $NS
#   dns4.spt-test -> 127.0.0.1 (DNS, so each local lookup is logged)

load lib/common
load lib/netns
load lib/proxies
load lib/sshd
load lib/tor

BANNER_TEXT=$'SSH-2.0-target\r\n'

setup_file() {
	spt_setup_file
	export PX_SKIP=
	PX_SKIP=$(spt_proxies_missing danted microsocks tinyproxy stunnel4 squid socat \
		openssl python3 dnsmasq sshd ssh)
	[[ -n $PX_SKIP ]] && return 0
	local d=$BATS_FILE_TMPDIR

	DATA=$d/data64
	head -c 64M /dev/urandom >"$DATA"

	spt_sshd_start "$d/sshd"

	printf '#!/bin/sh\nprintf "SSH-2.0-target\\r\\n"\n' >"$d/banner.sh"
	chmod +x "$d/banner.sh"
	spt_server -f banner "EXEC:$d/banner.sh"
	BANNER=$SRV_PORT
	spt_server -f echo EXEC:cat
	ECHO=$SRV_PORT
	spt_server -f sized 'SYSTEM:head -c 67108864'
	SIZED=$SRV_PORT
	CLOSED=$(spt_free_port)

	start_danted
	DANTE=$DANTED_PORT
	start_danted --auth 'd4nte pw'
	DANTE_AUTH=$DANTED_PORT DANTE_USER=$DANTED_USER DANTE_PASS=$DANTED_PASS
	start_microsocks
	MS=$MICROSOCKS_PORT
	start_microsocks -u mike -P 'm1ke pw'
	MS_AUTH=$MICROSOCKS_PORT
	start_https_proxy
	TLSP=$TLSPROXY_PORT TLSCA=$TLSPROXY_CACERT TLSCA_OTHER=$TLSPROXY_OTHER_CA
	TLSP_LOG=$TLSPROXY_LOG
	start_tinyproxy --basic bob:bobpw --connect-port "$SSHD_PORT" \
		--connect-port "$BANNER" --connect-port "$SIZED" --connect-port "$CLOSED"
	TP=$TINYPROXY_PORT TP_LOG=$TINYPROXY_LOG
	start_digest_proxy 'carol:c4r0l pw'
	DIGEST=$DIGEST_PROXY_PORT DIGEST_ACCESS=$SQUID_ACCESS_LOG
	start_squid --ntlm --basic dave:davepw
	NTLM=$SQUID_PORT NTLM_ACCESS=$SQUID_ACCESS_LOG

	spt_netns_create
	NS=$SPT_NS
	spt_dns_watch "$NS" --host-record=dns4.spt-test,127.0.0.1
	spt_server -n "$NS" -f nsbanner "EXEC:$d/banner.sh"
	NS_BANNER=$SRV_PORT

	# stdin for runs that must not see EOF: a fifo whose write end a
	# sleeping process holds open.
	HOLD=$d/hold
	mkfifo "$HOLD"
	spt_spawn hold-fifo bash -c 'exec sleep 3600 >"$1"' _ "$HOLD"

	# ssh's ProxyCommand runs through this wrapper, which records the exit
	# status and stderr of the real command and passes ssh's SIGHUP on.
	PCWRAP=$d/pcwrap
	cat >"$PCWRAP" <<-'EOF'
	#!/bin/bash
	# pcwrap PREFIX CMD ARGS...: CMD's stderr to PREFIX.stderr, its exit
	# status (128+N for signal N) to PREFIX.status once it has exited.
	# ssh sends SIGHUP to its proxy command: passed on to CMD.
	pfx=$1 pid=
	shift
	trap '[[ -n $pid ]] && kill -HUP "$pid" 2>/dev/null' HUP
	bash -c '"$@" <&0 & p=$!; echo $p >"$0.pid"; exec </dev/null >/dev/null
		wait $p; echo $? >"$0.status.tmp"; mv "$0.status.tmp" "$0.status"' \
		"$pfx" "$@" <&0 2>"$pfx.stderr" &
	inner=$!
	exec </dev/null >/dev/null
	until [[ -s $pfx.pid ]] || ! kill -0 "$inner" 2>/dev/null; do sleep 0.01; done
	pid=$(cat "$pfx.pid" 2>/dev/null)
	while kill -0 "$inner" 2>/dev/null; do wait "$inner"; done
	EOF
	chmod +x "$PCWRAP"

	export DATA BANNER ECHO SIZED CLOSED DANTE DANTE_AUTH DANTE_USER DANTE_PASS MS MS_AUTH
	export NTLM NTLM_ACCESS
	export TLSP TLSCA TLSCA_OTHER TLSP_LOG TP TP_LOG DIGEST DIGEST_ACCESS
	export NS NS_BANNER SPT_DNS_LOG HOLD PCWRAP
}

teardown_file() {
	spt_proxies_teardown_file
}

setup() {
	spt_setup
	[[ -z $PX_SKIP ]] || skip "$PX_SKIP"
	spt_require_nc
	NC=$SSHPROXY_NC
	T=$BATS_TEST_TMPDIR
	# Only what a case sets itself; never a prompt.
	unset all_proxy ALL_PROXY http_proxy HTTP_PROXY https_proxy HTTPS_PROXY \
		no_proxy NO_PROXY SSHPROXY_PROXY_PASSWORD SSH_ASKPASS DISPLAY
	export SSH_ASKPASS_REQUIRE=never
}

teardown() {
	spt_proxies_teardown
	rm -f "$BATS_TEST_TMPDIR"/*.bin
}

# ---------------------------------------------------------------- helpers

# start_badproxies [--netns NS] SPEC...: one badproxy per SPEC ("MODE
# [badproxy options]", split on blanks), all started at once (each takes
# ~0.3 s to come up).  Sets BP_PORTS[i] and BP_PIDS[i] in the order given.
start_badproxies() {
	local ns='' dir i pf c tag spec
	local -a pre=() a
	if [[ $1 == --netns ]]; then
		ns=$2
		pre=(ip netns exec "$ns")
		shift 2
	fi
	dir=$(spt_tmpdir)
	tag=bp-$(spt_uniq)
	BP_PORTS=() BP_PIDS=()
	i=0
	for spec in "$@"; do
		read -r -a a <<<"$spec"
		spt_spawn "$tag-$i" "${pre[@]}" python3 "$SPT_BADPROXY" --mode "${a[@]}" \
			--listen 127.0.0.1 --port 0 --port-file "$dir/$tag-$i.port" --log "$dir/$tag-$i.events"
		BP_PIDS+=("$SPT_PID")
		i=$(( i + 1 ))
	done
	for (( i = 0; i < $#; i++ )); do
		pf=$dir/$tag-$i.port
		for (( c = 0; c < 250; c++ )); do
			[[ -s $pf ]] && break
			sleep 0.02
		done
		[[ -s $pf ]] || { echo "badproxy $i did not start:" >&2; cat "$dir/$tag-$i.log" >&2; return 1; }
		BP_PORTS+=("$(<"$pf")")
	done
}

# ncrun [-t SECS] ARGS...: sshproxy-nc with a stdin that never reaches EOF.
ncrun() {
	local t=10
	if [[ $1 == -t ]]; then
		t=$2
		shift 2
	fi
	spt_run -i -t "$t" "$NC" "$@" <"$HOLD"
}

# nsrun [-t SECS] PROG ARGS...: PROG inside $NS, stdin held open.
nsrun() {
	local t=10
	if [[ $1 == -t ]]; then
		t=$2
		shift 2
	fi
	spt_run -i -t "$t" ip netns exec "$NS" "$@" <"$HOLD"
}

# stdout is exactly the banner (byte for byte: no CR stripped, nothing added)
assert_banner() {
	if ! printf '%s' "$BANNER_TEXT" | cmp -s - "$out_file"; then
		echo "stdout is not exactly the banner:" >&2
		od -c "$out_file" | head -5 >&2
		return 1
	fi
}

# stderr matches each extended regex, case-insensitively
assert_words() {
	local re
	for re in "$@"; do
		if ! grep -Eqi -- "$re" "$err_file"; then
			echo "stderr does not match /$re/: $stderr" >&2
			return 1
		fi
	done
}

# A complete failure: STATUS, nothing on stdout, a diagnostic with WORDS.
# (That every stderr line carries the prefix is checked on its own below.)
assert_fail() {
	local st=$1
	shift
	spt_assert_status "$st"
	spt_assert_no_stdout
	spt_assert_stderr
	if [[ $(head -n 1 "$err_file") != "sshproxy-nc: "* ]]; then
		echo "diagnostic not prefixed with 'sshproxy-nc: ': $stderr" >&2
		return 1
	fi
	assert_words "$@"
}

# The banner came through: exit 0, exact stdout, silent.
assert_tunnel() {
	spt_assert_status 0
	assert_banner
	spt_assert_no_stderr
}

# ssh_via [-F] NCARGS...: ssh to the throwaway sshd with
#   ProxyCommand sshproxy-nc NCARGS... %h %p   (-F: plus ProxyUseFdpass)
# Sets ssh's status/output/stderr (spt_run) and pc_status/pc_stderr, what
# the proxy command itself exited with and said.
ssh_via() {
	local -a o=()
	local pc i
	if [[ $1 == -F ]]; then
		o=(-o ProxyUseFdpass=yes)
	fi
	pc="$(printf '%q ' "$PCWRAP" "$T/pc" "$NC" "$@")%h %p"
	rm -f "$T/pc.status" "$T/pc.stderr" "$T/pc.pid"
	spt_run -t 30 ssh -F "$SSH_CONFIG" -o "ProxyCommand=$pc" "${o[@]}" \
		127.0.0.1 "${SSH_CMD:-echo via-proxy}"
	for (( i = 0; i < 100; i++ )); do
		[[ -f $T/pc.status ]] && break
		sleep 0.05
	done
	if [[ ! -f $T/pc.status && -s $T/pc.pid ]]; then
		# still running 5 s after ssh: teardown stops it by its PID
		echo "$(cat "$T/pc.pid") proxycommand" >>"$SPT_PIDFILE"
	fi
	pc_status=$(cat "$T/pc.status" 2>/dev/null || echo "none (still running)")
	pc_stderr=$(cat "$T/pc.stderr" 2>/dev/null)
	echo "# proxy command: status=$pc_status stderr: ${pc_stderr:0:600}" >&2
}

# ssh ran its command through the proxy; the proxy command exited 0 silently.
assert_ssh_ok() {
	spt_assert_status 0
	[ "$output" = via-proxy ]
	if [[ $pc_status != 0 ]]; then
		echo "proxy command exited $pc_status, expected 0" >&2
		return 1
	fi
	if [[ -n $pc_stderr ]]; then
		echo "proxy command wrote to stderr: $pc_stderr" >&2
		return 1
	fi
}

# A password file with MODE.
pwfile() {
	local f=$T/pw-$RANDOM
	printf '%s\n' "$1" >"$f"
	chmod "${2:-600}" "$f"
	printf '%s\n' "$f"
}

# No connection reached the badproxy started last.
assert_badproxy_untouched() {
	sleep 0.2
	if grep -q ' accept ' "$BADPROXY_LOG" 2>/dev/null; then
		echo "badproxy was connected to:" >&2
		cat "$BADPROXY_LOG" >&2
		return 1
	fi
}

# stderr does not contain STRING (a secret)
assert_not_in_stderr() {
	if grep -qF -- "$1" "$err_file"; then
		echo "stderr contains the secret '$1':" >&2
		grep -nF -- "$1" "$err_file" >&2
		return 1
	fi
}

hexof() {
	printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'
}

# ---------------------------------------------------------------- danted

@test "danted: ssh through socks5h:// (no auth); the tunnel carries only the server's bytes" {
	ssh_via -x "socks5h://127.0.0.1:$DANTE"
	assert_ssh_ok
	ncrun -x "socks5h://127.0.0.1:$DANTE" 127.0.0.1 "$BANNER"
	assert_tunnel
	ncrun -x "socks5://127.0.0.1:$DANTE" 127.0.0.1 "$BANNER"
	assert_tunnel
	ncrun -x "socks4://127.0.0.1:$DANTE" 127.0.0.1 "$BANNER"
	assert_tunnel
}

@test "danted with user/password: ssh with -P and --proxy-password-file (mode 0600)" {
	local pf
	pf=$(pwfile "$DANTE_PASS" 600)
	ssh_via -x "socks5h://127.0.0.1:$DANTE_AUTH" -P "$DANTE_USER" --proxy-password-file "$pf"
	assert_ssh_ok
	# the user in the URL instead of -P
	ncrun -x "socks5h://$DANTE_USER@127.0.0.1:$DANTE_AUTH" --proxy-password-file="$pf" \
		127.0.0.1 "$BANNER"
	assert_tunnel
}

@test "danted with user/password: a wrong password is 77 with a message" {
	local pf
	pf=$(pwfile 'not the password' 600)
	ncrun -x "socks5h://127.0.0.1:$DANTE_AUTH" -P "$DANTE_USER" --proxy-password-file "$pf" \
		127.0.0.1 "$BANNER"
	assert_fail 77 'auth'
	assert_not_in_stderr 'not the password'
	# no user at all: danted offers no method we may use
	ncrun -x "socks5h://127.0.0.1:$DANTE_AUTH" 127.0.0.1 "$BANNER"
	assert_fail 77 'auth'
}

@test "a password file readable by others is 78 and nothing is sent" {
	local pf
	pf=$(pwfile "$DANTE_PASS" 644)
	ncrun -x "socks5h://127.0.0.1:$DANTE_AUTH" -P "$DANTE_USER" --proxy-password-file "$pf" \
		127.0.0.1 "$BANNER"
	assert_fail 78 'readable|permission|mode|chmod'
	assert_not_in_stderr "$DANTE_PASS"

	start_badproxy socks5-ok
	for mode in 644 640 604 660; do
		pf=$(pwfile secret "$mode")
		ncrun -x "socks5h://127.0.0.1:$BADPROXY_PORT" -P alice --proxy-password-file "$pf" \
			127.0.0.1 "$BANNER"
		assert_fail 78 'readable|permission|mode|chmod'
		# -z still gives 78 (whether it also prints is not settled by the
		# man page: "prints nothing unless -v", but configuration
		# mistakes "are still reported")
		ncrun -z -x "socks5h://127.0.0.1:$BADPROXY_PORT" -P alice --proxy-password-file "$pf" \
			127.0.0.1 "$BANNER"
		spt_assert_status 78
		spt_assert_no_stdout
	done
	assert_badproxy_untouched
}

@test "danted: -F with ProxyUseFdpass hands ssh the tunnel" {
	ssh_via -F -x "socks5h://127.0.0.1:$DANTE"
	assert_ssh_ok
}

@test "danted: 64 MiB both ways byte for byte (echo, half-close kept)" {
	spt_run -i -t 60 -o "$T/echo.bin" "$NC" -x "socks5h://127.0.0.1:$DANTE" 127.0.0.1 "$ECHO" <"$DATA"
	spt_assert_status 0
	spt_assert_no_stderr
	cmp "$DATA" "$T/echo.bin"
}

# ---------------------------------------------------------------- microsocks

@test "microsocks: ssh through socks5h:// and through nc-style -X 5 -x host:port" {
	ssh_via -x "socks5h://127.0.0.1:$MS"
	assert_ssh_ok
	ssh_via -X 5 -x "127.0.0.1:$MS"
	assert_ssh_ok
	ncrun -X 5 -x "127.0.0.1:$MS" 127.0.0.1 "$BANNER"
	assert_tunnel
	ncrun --proxy-type=5 --proxy="127.0.0.1:$MS" 127.0.0.1 "$BANNER"
	assert_tunnel
}

@test "microsocks with user/password: works with the password, 77 with a wrong one" {
	export SSHPROXY_PROXY_PASSWORD='m1ke pw'
	ssh_via -x "socks5h://mike@127.0.0.1:$MS_AUTH"
	assert_ssh_ok
	ncrun -x "socks5h://127.0.0.1:$MS_AUTH" -P mike 127.0.0.1 "$BANNER"
	assert_tunnel
	# microsocks answers a wrong password with status 0x02 (danted: 0x01)
	export SSHPROXY_PROXY_PASSWORD='wrong pw'
	ncrun -x "socks5h://127.0.0.1:$MS_AUTH" -P mike 127.0.0.1 "$BANNER"
	assert_fail 77 'auth'
	assert_not_in_stderr 'wrong pw'
}

# ---------------------------------------------------------------- tinyproxy

@test "tinyproxy: ssh through CONNECT with Basic auth, password from SSHPROXY_PROXY_PASSWORD" {
	export SSHPROXY_PROXY_PASSWORD=bobpw
	ssh_via -x "http://127.0.0.1:$TP" -P bob
	assert_ssh_ok
	ncrun -x "http://127.0.0.1:$TP" -P bob 127.0.0.1 "$BANNER"
	assert_tunnel
	ncrun -X connect -x "127.0.0.1:$TP" -P bob 127.0.0.1 "$BANNER"
	assert_tunnel
	# --proxy-password-env names another variable
	unset SSHPROXY_PROXY_PASSWORD
	export SPT_OTHER_PW=bobpw
	ncrun -x "http://bob@127.0.0.1:$TP" --proxy-password-env=SPT_OTHER_PW 127.0.0.1 "$BANNER"
	assert_tunnel
}

@test "tinyproxy: a port not in ConnectPort is 77 with 403; wrong password 77; no user 77" {
	export SSHPROXY_PROXY_PASSWORD=bobpw
	ncrun -x "http://127.0.0.1:$TP" -P bob 127.0.0.1 "$ECHO"
	assert_fail 77 '403'
	export SSHPROXY_PROXY_PASSWORD=wrongpw
	ncrun -x "http://127.0.0.1:$TP" -P bob 127.0.0.1 "$BANNER"
	assert_fail 77 '401|auth'
	assert_not_in_stderr wrongpw
	unset SSHPROXY_PROXY_PASSWORD
	ncrun -x "http://127.0.0.1:$TP" 127.0.0.1 "$BANNER"
	assert_fail 77 '407|auth'
}

# sshproxy-nc(1): "If variable is not set, sshproxy-nc exits with status 77
# without asking for the password" (it once exited 78).
@test "--proxy-password-env naming an unset variable is 77, without asking" {
	start_badproxy http-407 --user bob --pass bobpw
	ncrun -x "http://127.0.0.1:$TP" -P bob --proxy-password-env=SPT_UNSET_PW 127.0.0.1 "$BANNER"
	assert_fail 77 'SPT_UNSET_PW'
	ncrun -x "$PROXY_URL" -P bob --proxy-password-env=SPT_UNSET_PW 127.0.0.1 "$BANNER"
	assert_fail 77 'SPT_UNSET_PW'
}

@test "tinyproxy: -F with ProxyUseFdpass through plain http://" {
	export SSHPROXY_PROXY_PASSWORD=bobpw
	ssh_via -F -x "http://127.0.0.1:$TP" -P bob
	assert_ssh_ok
}

@test "tinyproxy (loses half-close): 64 MiB both ways through a sized echo, --no-half-close" {
	export SSHPROXY_PROXY_PASSWORD=bobpw
	spt_run -i -t 60 -o "$T/echo.bin" "$NC" --no-half-close -x "http://127.0.0.1:$TP" -P bob \
		127.0.0.1 "$SIZED" <"$DATA"
	spt_assert_status 0
	spt_assert_no_stderr
	cmp "$DATA" "$T/echo.bin"
}

# ---------------------------------------------------------------- HTTPS proxy

@test "https proxy: ssh with --proxy-cacert; with --proxy-insecure" {
	ssh_via -x "https://localhost:$TLSP" --proxy-cacert "$TLSCA"
	assert_ssh_ok
	ssh_via -x "https://127.0.0.1:$TLSP" --proxy-insecure
	assert_ssh_ok
	ncrun -x "https://localhost:$TLSP" --proxy-cacert="$TLSCA" 127.0.0.1 "$BANNER"
	assert_tunnel
}

@test "https proxy: a certificate that does not verify is 76 (TLS)" {
	# the system's CAs do not know our throwaway CA
	ncrun -x "https://localhost:$TLSP" 127.0.0.1 "$BANNER"
	assert_fail 76 'TLS|certificate|SSL'
	ncrun -x "https://localhost:$TLSP" --proxy-cacert "$TLSCA_OTHER" 127.0.0.1 "$BANNER"
	assert_fail 76 'TLS|certificate|SSL'
}

@test "https proxy: -F is refused with 64 before connecting" {
	start_badproxy http-ok
	ssh_via -F -x "https://127.0.0.1:$BADPROXY_PORT" --proxy-insecure
	[ "$status" -ne 0 ]
	if [[ $pc_status != 64 ]]; then
		echo "proxy command exited $pc_status, expected 64" >&2
		return 1
	fi
	[[ $pc_stderr == sshproxy-nc:* ]]
	grep -Eqi 'https' <<<"$pc_stderr"
	assert_badproxy_untouched
}

# ---------------------------------------------------------------- squid Digest

@test "squid Digest: ssh with --proxy-auth=digest; a wrong password is 77" {
	local pf
	pf=$(pwfile 'c4r0l pw' 600)
	ssh_via -x "http://127.0.0.1:$DIGEST" --proxy-auth=digest -P carol --proxy-password-file "$pf"
	assert_ssh_ok
	grep -q "TCP_TUNNEL/200 .* CONNECT 127.0.0.1:$SSHD_PORT carol " "$DIGEST_ACCESS"
	ncrun -x "http://carol@127.0.0.1:$DIGEST" --proxy-auth=digest --proxy-password-file "$pf" \
		127.0.0.1 "$BANNER"
	assert_tunnel
	pf=$(pwfile 'wrong pw' 600)
	ncrun -x "http://127.0.0.1:$DIGEST" --proxy-auth=digest -P carol --proxy-password-file "$pf" \
		127.0.0.1 "$BANNER"
	assert_fail 77 '407|auth'
}

@test "squid offering NTLM and Basic: --proxy-auth=ntlm, =basic and the default (any) all work" {
	export SSHPROXY_PROXY_PASSWORD=davepw
	ncrun -x "http://127.0.0.1:$NTLM" -P dave --proxy-auth=ntlm 127.0.0.1 "$BANNER"
	assert_tunnel
	ncrun -x "http://127.0.0.1:$NTLM" -P dave --proxy-auth=basic 127.0.0.1 "$BANNER"
	assert_tunnel
	ssh_via -x "http://127.0.0.1:$NTLM" -P dave
	assert_ssh_ok
	ncrun -x "http://127.0.0.1:$NTLM" 127.0.0.1 "$BANNER"
	assert_fail 77 '407|auth'
}

# ---------------------------------------------------------------- chains

@test "chain: microsocks then danted (two SOCKS hops)" {
	ssh_via -x "socks5h://127.0.0.1:$MS" -x "socks5h://127.0.0.1:$DANTE"
	assert_ssh_ok
	ncrun -x "socks5h://127.0.0.1:$MS" -x "socks5h://127.0.0.1:$DANTE" 127.0.0.1 "$BANNER"
	assert_tunnel
}

@test "chain: danted then tinyproxy (HTTP after one SOCKS hop)" {
	export SSHPROXY_PROXY_PASSWORD=bobpw
	ssh_via -x "socks5h://127.0.0.1:$DANTE" -x "http://bob@127.0.0.1:$TP"
	assert_ssh_ok
	ncrun -x "socks5h://127.0.0.1:$DANTE" -x "http://bob@127.0.0.1:$TP" 127.0.0.1 "$BANNER"
	assert_tunnel
}

# ---------------------------------------------------------------- -z

@test "-z through proxies: reachable 0, refused at the proxy 1, both silent" {
	local url
	for url in "socks5h://127.0.0.1:$DANTE" "socks5h://127.0.0.1:$MS" "socks4://127.0.0.1:$DANTE"; do
		spt_run -t 10 "$NC" -z -x "$url" 127.0.0.1 "$BANNER"
		spt_assert_status 0
		spt_assert_no_stdout
		spt_assert_no_stderr
		spt_run -t 10 "$NC" -z -x "$url" 127.0.0.1 "$CLOSED"
		spt_assert_status 1
		spt_assert_no_stdout
		spt_assert_no_stderr
	done
	export SSHPROXY_PROXY_PASSWORD=bobpw
	spt_run -t 10 "$NC" -z -x "http://127.0.0.1:$TP" -P bob 127.0.0.1 "$BANNER"
	spt_assert_status 0
	spt_assert_no_stdout
	spt_assert_no_stderr
	spt_run -t 10 "$NC" -z -x "http://127.0.0.1:$TP" -P bob 127.0.0.1 "$CLOSED"
	spt_assert_status 1
	spt_assert_no_stdout
	spt_assert_no_stderr
	# refused by the proxy's rules is "not reachable" too
	spt_run -t 10 "$NC" -z -x "http://127.0.0.1:$TP" -P bob 127.0.0.1 "$ECHO"
	spt_assert_status 1
	spt_assert_no_stdout
	spt_assert_no_stderr
}

# ---------------------------------------------------------------- passwords

@test "a password in a proxy URL is 64 with a message, before connecting (also with -z)" {
	local url
	start_badproxy socks5-ok
	for url in "socks5h://u:Zq9UrlSecret@127.0.0.1:$BADPROXY_PORT" \
		"http://u:Zq9UrlSecret@127.0.0.1:$BADPROXY_PORT" \
		"socks4://u:Zq9UrlSecret@127.0.0.1:$BADPROXY_PORT"; do
		ncrun -x "$url" 127.0.0.1 "$BANNER"
		assert_fail 64 'password'
		ncrun -z -x "$url" 127.0.0.1 "$BANNER"
		assert_fail 64 'password'
	done
	assert_badproxy_untouched
}

# The 64 message once quoted the whole -x value, password included.
# sshproxy-nc(1): "A password is kept out of every
# message"; DESIGN.md: passwords "never appear in any log line".
@test "a password in a proxy URL is not repeated in the message, even at -vvv" {
	local url
	for url in "socks5h://u:Zq9UrlSecret@127.0.0.1:$CLOSED" \
		"http://u:Zq9UrlSecret@127.0.0.1:$CLOSED"; do
		ncrun -x "$url" 127.0.0.1 "$BANNER"
		spt_assert_status 64
		assert_not_in_stderr Zq9UrlSecret
		ncrun -vvv -x "$url" 127.0.0.1 "$BANNER"
		spt_assert_status 64
		assert_not_in_stderr Zq9UrlSecret
	done
}

@test "-vvv never shows a password (SOCKS5, HTTP Basic incl. its base64, Digest)" {
	local pf b64
	pf=$(pwfile "$DANTE_PASS" 600)
	ncrun -vvv -x "socks5h://127.0.0.1:$DANTE_AUTH" -P "$DANTE_USER" --proxy-password-file "$pf" \
		127.0.0.1 "$BANNER"
	spt_assert_status 0
	assert_banner
	spt_assert_stderr
	assert_not_in_stderr "$DANTE_PASS"

	export SSHPROXY_PROXY_PASSWORD=bobpw
	b64=$(printf 'bob:bobpw' | base64)
	ncrun -vvv -x "http://127.0.0.1:$TP" -P bob --proxy-auth=basic 127.0.0.1 "$BANNER"
	spt_assert_status 0
	assert_banner
	spt_assert_stderr
	assert_not_in_stderr bobpw
	assert_not_in_stderr "$b64"

	pf=$(pwfile 'c4r0l pw' 600)
	ncrun -vvv -x "http://127.0.0.1:$DIGEST" -P carol --proxy-password-file "$pf" \
		127.0.0.1 "$BANNER"
	spt_assert_status 0
	assert_banner
	assert_not_in_stderr 'c4r0l pw'

	# wrong ones are not shown either
	export SSHPROXY_PROXY_PASSWORD=Zq9WrongSecret
	ncrun -vvv -x "http://127.0.0.1:$TP" -P bob --proxy-auth=basic 127.0.0.1 "$BANNER"
	spt_assert_status 77
	assert_not_in_stderr Zq9WrongSecret
	assert_not_in_stderr "$(printf 'bob:Zq9WrongSecret' | base64)"
}

# ---------------------------------------------------------------- badproxy

# the URL for badproxy mode MODE on PORT
bp_url() {
	case $1 in
	socks5*) echo "socks5h://127.0.0.1:$2" ;;
	socks4*) echo "socks4://127.0.0.1:$2" ;;
	http*) echo "http://127.0.0.1:$2" ;;
	esac
}

@test "badproxy: garbage instead of a reply is 76 (SOCKS5, SOCKS4, HTTP)" {
	local -a m=(socks5-garbage socks4-garbage http-garbage)
	local i
	start_badproxies "${m[@]/%/ --hold 3}"
	for (( i = 0; i < ${#m[@]}; i++ )); do
		ncrun -w 5 -x "$(bp_url "${m[i]}" "${BP_PORTS[i]}")" 127.0.0.1 "$BANNER"
		assert_fail 76 'protocol|version|SOCKS|HTTP|reply|response'
	done
}

@test "badproxy: an HTTP reply whose headers never end is 76, promptly" {
	start_badproxy http-endless-headers
	ncrun -w 10 -x "$PROXY_URL" 127.0.0.1 "$BANNER"
	assert_fail 76 'header|protocol|reply|response|HTTP'
	spt_assert_elapsed_below 5000
}

@test "badproxy: closing in the middle of a reply is 76" {
	local -a m=(socks5-close-mid-greeting socks5-close-mid-reply socks4-close-mid-reply
		http-close-mid-reply)
	local i
	start_badproxies "${m[@]}"
	for (( i = 0; i < ${#m[@]}; i++ )); do
		ncrun -w 5 -x "$(bp_url "${m[i]}" "${BP_PORTS[i]}")" 127.0.0.1 "$BANNER"
		assert_fail 76 'closed|reply|protocol|eof'
	done
}

@test "badproxy: a proxy that stalls is 75 at -w 1" {
	local -a m=(socks5-stall socks5-stall-request socks4-stall http-stall)
	local i
	start_badproxies "${m[@]/%/ --hold 5}"
	for (( i = 0; i < ${#m[@]}; i++ )); do
		ncrun -w 1 -x "$(bp_url "${m[i]}" "${BP_PORTS[i]}")" 127.0.0.1 "$BANNER"
		assert_fail 75 'time'
		spt_assert_elapsed_above 900
		spt_assert_elapsed_below 2500
	done
}

@test "badproxy: BND.ADDR as a domain name or IPv6, and replies dripped byte by byte, work" {
	local -a m=(socks5-domain-bnd socks5-ipv6-bnd "socks5-domain-bnd --drip 3"
		"socks4-ok --drip 3" "http-ok --drip 3")
	local i
	start_badproxies "${m[@]}"
	for (( i = 0; i < ${#m[@]}; i++ )); do
		ncrun -x "$(bp_url "${m[i]}" "${BP_PORTS[i]}")" 127.0.0.1 "$BANNER"
		assert_tunnel
	done
}

@test "badproxy: data in the same packet as the reply reaches stdout (SOCKS5, HTTP)" {
	start_badproxy socks5-early-data
	ncrun -x "$PROXY_URL" 127.0.0.1 "$BANNER"
	assert_tunnel
	badproxy_wait_end
	grep -q '^1 send 050000017f000001[0-9a-f]*'"$(hexof "$BANNER_TEXT")"'$' "$BADPROXY_LOG"

	start_badproxy http-early-data
	ncrun -x "$PROXY_URL" 127.0.0.1 "$BANNER"
	assert_tunnel
	badproxy_wait_end
	grep -q '^1 send 485454502f312e3120323030.*0d0a0d0a'"$(hexof "$BANNER_TEXT")"'$' "$BADPROXY_LOG"
}

@test "badproxy: early data with -F: ssh still gets the server's first bytes" {
	# the bytes after the SOCKS5 reply (sshd's banner) must stay in the
	# socket that goes to ssh
	start_badproxy socks5-early-data
	ssh_via -F -x "$PROXY_URL"
	assert_ssh_ok
	# the reply and "SSH-2.0-" went out in one send()
	grep -q '^1 send 050000017f000001[0-9a-f]\{4\}'"$(hexof SSH-2.0-)" "$BADPROXY_LOG"
}

@test "badproxy: 407 without credentials is 77 with a message; with them it works" {
	start_badproxy http-407 --user u --pass 'Zq9p w'
	ncrun -x "$PROXY_URL" 127.0.0.1 "$BANNER"
	assert_fail 77 '407|auth'
	export SSHPROXY_PROXY_PASSWORD='Zq9p w'
	ncrun -x "$PROXY_URL" -P u 127.0.0.1 "$BANNER"
	assert_tunnel
	badproxy_wait_log "^[0-9]+ http header Proxy-Authorization: Basic $(printf 'u:Zq9p w' | base64)\$"
	export SSHPROXY_PROXY_PASSWORD=nope
	ncrun -x "$PROXY_URL" -P u 127.0.0.1 "$BANNER"
	assert_fail 77 '407|auth'
}

@test "badproxy: SOCKS5 no acceptable method, and a wrong password (01 01), are 77" {
	start_badproxy socks5-no-method
	ncrun -x "$PROXY_URL" 127.0.0.1 "$BANNER"
	assert_fail 77 'auth|method'
	start_badproxy socks5-auth-required --user alice --pass right
	export SSHPROXY_PROXY_PASSWORD=wrong
	ncrun -x "$PROXY_URL" -P alice 127.0.0.1 "$BANNER"
	assert_fail 77 'auth'
	export SSHPROXY_PROXY_PASSWORD=right
	ncrun -x "$PROXY_URL" -P alice 127.0.0.1 "$BANNER"
	assert_tunnel
	badproxy_wait_end 2
	# RFC 1929: VER 1, ULEN 5 "alice", PLEN 5 "right"
	# the methods offered include 0x02
	[[ $(badproxy_hex greeting 2) =~ ^05(0102|020002|020200)$ ]]
	[ "$(badproxy_hex auth 2)" = "0105$(hexof alice)05$(hexof right)" ]
}

# Each SOCKS5 reply code: the words (RFC 1928, Tor's socks-extensions) and
# the exit status of sshproxy-nc(1) EXIT STATUS.
SOCKS5_CODES=(
	"0x01 69 general SOCKS server failure"
	"0x02 77 not allowed"
	"0x03 69 network unreachable"
	"0x04 69 host unreachable"
	"0x05 69 connection refused"
	"0x06 75 TTL expired"
	"0x07 76 command not supported"
	"0x08 76 address type not supported"
	"0xF0 68 descriptor.*(can ?not|not) (be )?found"
	"0xF1 76 descriptor.*invalid"
	"0xF2 69 introduction failed"
	"0xF3 69 rendezvous failed"
	"0xF4 77 client authori[sz]ation"
	"0xF5 77 client authori[sz]ation"
	"0xF6 65 invalid"
	"0xF7 75 introduction timed out"
)

@test "badproxy: every SOCKS5 reply code gives its words and exit status" {
	spt_skip_under_valgrind "one run per reply code: minutes under valgrind;" \
	    "make check-asan runs it"
	local i code st words url
	local -a codes=()
	for (( i = 0; i < ${#SOCKS5_CODES[@]}; i++ )); do
		codes+=("${SOCKS5_CODES[i]%% *}")
	done
	start_badproxies --netns "$NS" "${codes[@]/#/socks5-reply --code }"
	spt_dns_mark
	for (( i = 0; i < ${#SOCKS5_CODES[@]}; i++ )); do
		read -r code st words <<<"${SOCKS5_CODES[i]}"
		url=socks5h://127.0.0.1:${BP_PORTS[i]}
		nsrun "$NC" -x "$url" dest.spt-test 22
		echo "# code $code: expecting $st /$words/" >&2
		assert_fail "$st" "$words"
		if (( code >= 0xF0 )); then
			assert_words "\\(tor $code\\)"
		fi
		# -z: every failure is just "not reachable", silently, except 0xF6:
		# a malformed host is still 65 with its message (sshproxy-nc(1),
		# Probing and EXIT STATUS 65)
		nsrun "$NC" -z -x "$url" dest.spt-test 22
		if (( code == 0xF6 )); then
			assert_fail 65 "$words"
		else
			spt_assert_status 1
			spt_assert_no_stdout
			spt_assert_no_stderr
		fi
	done
	spt_assert_no_dns
}

@test "badproxy: SOCKS4 replies 0x5B -> 69, 0x5C and 0x5D -> 77; HTTP statuses by class" {
	spt_skip_under_valgrind "one run per reply code: minutes under valgrind;" \
	    "make check-asan runs it"
	local i code st
	local -a s4=("0x5B 69" "0x5C 77" "0x5D 77")
	local -a h=("502 69" "503 69" "408 75" "504 75" "400 76" "405 76" "501 76" "401 77" "403 77" "407 77")
	start_badproxies "socks4-reply --code 0x5B" "socks4-reply --code 0x5C" "socks4-reply --code 0x5D"
	for (( i = 0; i < ${#s4[@]}; i++ )); do
		read -r code st <<<"${s4[i]}"
		ncrun -x "socks4://127.0.0.1:${BP_PORTS[i]}" 127.0.0.1 "$BANNER"
		assert_fail "$st" "rejected|failed|identd"
	done
	local -a hc=("${h[@]%% *}")
	start_badproxies "${hc[@]/#/http-status --code }"
	for (( i = 0; i < ${#h[@]}; i++ )); do
		read -r code st <<<"${h[i]}"
		ncrun -x "http://127.0.0.1:${BP_PORTS[i]}" 127.0.0.1 "$BANNER"
		echo "# HTTP $code: expecting $st" >&2
		assert_fail "$st" 'proxy'
	done
}

# Every status is named in the message (408, 500 and 501 once were not).
@test "an HTTP error status from the proxy is named in the message" {
	local i code bad=
	local -a codes=(400 401 403 405 407 408 500 501 502 503 504)
	start_badproxies "${codes[@]/#/http-status --code }"
	for (( i = 0; i < ${#codes[@]}; i++ )); do
		code=${codes[i]}
		ncrun -x "http://127.0.0.1:${BP_PORTS[i]}" 127.0.0.1 "$BANNER"
		[ "$status" -ne 0 ]
		spt_assert_no_stdout
		case $code in
		401|407) assert_words "$code|authenticat" || bad+=" $code" ;;
		*) assert_words "$code" || bad+=" $code" ;;
		esac
	done
	if [[ -n $bad ]]; then
		echo "statuses not named:$bad" >&2
		return 1
	fi
}

# Usage errors once added a "Try ... --help" line without the prefix;
# sshproxy-nc(1): "Diagnostics go to standard
# error, one line per message, each starting with sshproxy-nc:".
@test "every stderr line starts with 'sshproxy-nc: ', usage errors included" {
	ncrun -x "socks5h://u:pw@127.0.0.1:$CLOSED" 127.0.0.1 "$BANNER"
	spt_assert_status 64
	spt_assert_diag sshproxy-nc
	ncrun -X 7 -x "127.0.0.1:$CLOSED" 127.0.0.1 "$BANNER"
	spt_assert_status 64
	spt_assert_diag sshproxy-nc
	ncrun -x "socks5h://127.0.0.1:$CLOSED" 127.0.0.1 "$BANNER"
	spt_assert_status 69
	spt_assert_diag sshproxy-nc
}

# ---------------------------------------------------------------- what goes on the wire

@test "request bytes: socks5h sends ATYP 3 and the name, nothing is looked up here" {
	start_badproxy socks5-ok --netns "$NS" --map target.spt-test=127.0.0.1
	spt_dns_mark
	nsrun "$NC" -x "$PROXY_URL" target.spt-test "$NS_BANNER"
	assert_tunnel
	badproxy_wait_end
	[ "$(badproxy_hex greeting 1)" = 050100 ]
	[ "$(badproxy_hex request 1)" = "05010003$(printf %02x 15)$(hexof target.spt-test)$(printf %04x "$NS_BANNER")" ]
	# nc style -X 5 is socks5h too
	nsrun "$NC" -X 5 -x "127.0.0.1:$BADPROXY_PORT" target.spt-test "$NS_BANNER"
	assert_tunnel
	badproxy_wait_end 2
	[ "$(badproxy_hex request 2)" = "05010003$(printf %02x 15)$(hexof target.spt-test)$(printf %04x "$NS_BANNER")" ]
	spt_assert_no_dns
}

@test "request bytes: socks5 and socks4 look the name up here (in the namespace) and send the address" {
	start_badproxy socks5-ok --netns "$NS"
	spt_dns_mark
	nsrun "$NC" -x "socks5://127.0.0.1:$BADPROXY_PORT" dns4.spt-test "$NS_BANNER"
	assert_tunnel
	badproxy_wait_end
	[ "$(badproxy_hex request 1)" = "050100017f000001$(printf %04x "$NS_BANNER")" ]
	[ "$(spt_dns_queries dns4.spt-test)" -ge 1 ]

	start_badproxy socks4-ok --netns "$NS"
	nsrun "$NC" -x "socks4://127.0.0.1:$BADPROXY_PORT" dns4.spt-test "$NS_BANNER"
	assert_tunnel
	badproxy_wait_end
	# VN 4, CD 1, port, 127.0.0.1, empty user id
	[ "$(badproxy_hex request4 1)" = "0401$(printf %04x "$NS_BANNER")7f00000100" ]
	# with -P the user id is sent (SOCKS4 has no password, so none is asked for)
	nsrun "$NC" -x "socks4://127.0.0.1:$BADPROXY_PORT" -P joe dns4.spt-test "$NS_BANNER"
	assert_tunnel
	badproxy_wait_end 2
	[ "$(badproxy_hex request4 2)" = "0401$(printf %04x "$NS_BANNER")7f000001$(hexof joe)00" ]
}

@test "request bytes: socks4a and http send the name, nothing is looked up here" {
	start_badproxy socks4-ok --netns "$NS" --map target.spt-test=127.0.0.1
	spt_dns_mark
	nsrun "$NC" -x "socks4a://127.0.0.1:$BADPROXY_PORT" target.spt-test "$NS_BANNER"
	assert_tunnel
	badproxy_wait_end
	[ "$(badproxy_hex request4 1)" = "0401$(printf %04x "$NS_BANNER")0000000100$(hexof target.spt-test)00" ]

	start_badproxy http-ok --netns "$NS" --map target.spt-test=127.0.0.1
	nsrun "$NC" -x "$PROXY_URL" target.spt-test "$NS_BANNER"
	assert_tunnel
	badproxy_wait_end
	grep -q "^1 http line CONNECT target.spt-test:$NS_BANNER HTTP/1.[01]\$" "$BADPROXY_LOG"
	spt_assert_no_dns
}

# ---------------------------------------------------------------- DNS leaks

@test "DNS leak: socks5h/socks4a/http to a made-up name make no query; socks5:// does (control)" {
	start_badproxy socks5-ok --netns "$NS" --map leak1.spt-test=127.0.0.1
	spt_dns_mark
	nsrun "$NC" -x "$PROXY_URL" leak1.spt-test "$NS_BANNER"
	assert_tunnel
	nsrun "$NC" -z -x "$PROXY_URL" leak1.spt-test "$NS_BANNER"
	spt_assert_status 0
	# the proxy cannot resolve it either: 0x04, still nothing asked here
	nsrun "$NC" -x "$PROXY_URL" leak2.spt-test "$NS_BANNER"
	assert_fail 69 'host unreachable'
	start_badproxies --netns "$NS" "socks4-ok --map leak1.spt-test=127.0.0.1" \
		"http-ok --map leak1.spt-test=127.0.0.1"
	nsrun "$NC" -x "socks4a://127.0.0.1:${BP_PORTS[0]}" leak1.spt-test "$NS_BANNER"
	assert_tunnel
	nsrun "$NC" -x "http://127.0.0.1:${BP_PORTS[1]}" leak1.spt-test "$NS_BANNER"
	assert_tunnel
	# a chain: socks5h, then http named by name (looked up by the first hop)
	nsrun "$NC" -x "$PROXY_URL" -x "http://leak1.spt-test:${BP_PORTS[1]}" leak1.spt-test "$NS_BANNER"
	assert_tunnel
	spt_assert_no_dns

	# positive control: the same through socks5:// is looked up here
	nsrun "$NC" -x "socks5://127.0.0.1:$BADPROXY_PORT" leak3.spt-test "$NS_BANNER"
	assert_fail 68 'leak3.spt-test|resolve'
	[ "$(spt_dns_queries leak3.spt-test)" -ge 1 ]
}

@test "DNS leak: .onion is never looked up here: directly and behind socks5:// it is 65" {
	local onion
	onion=$(spt_onion_v3)
	start_badproxy socks5-ok --netns "$NS" --map "$onion=127.0.0.1"
	spt_dns_mark
	nsrun "$NC" "$onion" 22
	assert_fail 65 'onion'
	nsrun "$NC" -z "$onion" 22
	assert_fail 65 'onion'
	nsrun "$NC" -x "socks5://127.0.0.1:$BADPROXY_PORT" "$onion" 22
	assert_fail 65 'onion'
	nsrun "$NC" -x "socks4://127.0.0.1:$BADPROXY_PORT" "WWW.${onion^^}." 22
	assert_fail 65 'onion'
	# through socks5h it goes to the proxy as a name
	nsrun "$NC" -x "socks5h://127.0.0.1:$BADPROXY_PORT" "$onion" "$NS_BANNER"
	assert_tunnel
	spt_assert_no_dns
	grep -q "^[0-9]* socks5 connect cmd=1 atyp=3 host=$onion port=$NS_BANNER\$" "$BADPROXY_LOG"
}
