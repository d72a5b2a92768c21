#!/usr/bin/env bats
# Data integrity: 1 GiB of random data each way (sent and echoed back at
# the same time) through every route, SHA-256 compared: direct, SOCKS5
# (danted), HTTP CONNECT (tinyproxy), HTTPS proxy (stunnel in front of
# tinyproxy), and fd passing (-F, direct and through SOCKS5).
#
# Not microsocks: its relay loop serves the client's side first and
# blocks writing, so a client that never stops sending (while the echo
# fills the other direction) gets nothing back, whatever the client.
#
# tests/fixtures/pump.py plays ssh: it runs sshproxy-nc with two pipes (or
# one AF_UNIX socket for -F, then uses the socket it was passed), writes
# the file with sendfile(2), hashes what comes back, and closes its side
# only once everything is back (tinyproxy turns a half-close into a full
# close), then sends SIGHUP like ssh does when it exits (the https://
# route passes no half-close).  The server is socat echoing through cat.
#
# SSHPROXY_INTEGRITY_SIZE=BYTES shrinks the data for local runs (default
# 1073741824).  Times per route are printed as TAP diagnostics; nothing
# is asserted about speed.  The proxies need root (danted runs as root).

load lib/common
load lib/proxies

PUMP=$top_srcdir/tests/fixtures/pump.py

setup_file() {
	spt_setup_file
	export IN_SKIP=
	IN_SKIP=$(spt_proxies_missing danted tinyproxy stunnel4 socat openssl python3)
	[[ -n $IN_SKIP ]] && return 0
	SIZE=${SSHPROXY_INTEGRITY_SIZE:-1073741824}
	DATA=$BATS_FILE_TMPDIR/data
	head -c "$SIZE" /dev/urandom >"$DATA"
	SUM=$(sha256sum <"$DATA")
	SUM=${SUM%% *}
	spt_server -f echo EXEC:cat
	ECHO=$SRV_PORT
	start_danted
	DANTE_URL=$PROXY_URL
	start_tinyproxy
	TP_URL=$PROXY_URL
	start_https_proxy
	TLS_URL=$PROXY_URL
	export SIZE DATA SUM ECHO DANTE_URL TP_URL TLS_URL TLSPROXY_CACERT
}

teardown_file() {
	spt_proxies_teardown_file
	rm -f "$BATS_FILE_TMPDIR/data"
}

setup() {
	[[ -z $IN_SKIP ]] || skip "$IN_SKIP"
	spt_setup
	spt_require_nc
	NC=$SSHPROXY_NC
}

teardown() {
	spt_teardown
}

# pump [--fdpass] NC-ARGS...: the file through sshproxy-nc NC-ARGS to the
# echo server and back; every byte back, exit 0, silent.
pump() {
	local fd=()
	if [[ $1 == --fdpass ]]; then
		fd=(--fdpass)
		shift
	fi
	spt_run -t 280 python3 "$PUMP" "${fd[@]}" --timeout 250 "$DATA" "$NC" "$@"
	echo "# $output" >&2
	if [[ $status == 2 || $status == 124 ]]; then
		echo "the transfer hung" >&2
		return 1
	fi
	[[ $output == *" received=$SIZE "* ]] ||
		{ echo "expected $SIZE bytes back" >&2; return 1; }
	[[ $output == *" sha256=$SUM "* ]] ||
		{ echo "the bytes that came back differ (sha256 $SUM sent)" >&2; return 1; }
	spt_assert_status 0
	spt_assert_no_stderr
	local secs=${output##*seconds=}
	echo "# $BATS_TEST_DESCRIPTION: $SIZE bytes each way in ${secs%% *} s" >&3
}

@test "integrity: direct" {
	pump 127.0.0.1 "$ECHO"
}

@test "integrity: SOCKS5 (danted)" {
	pump -x "$DANTE_URL" 127.0.0.1 "$ECHO"
}

@test "integrity: HTTP CONNECT (tinyproxy)" {
	pump -x "$TP_URL" 127.0.0.1 "$ECHO"
}

@test "integrity: HTTPS proxy (stunnel + tinyproxy)" {
	pump --proxy-cacert "$TLSPROXY_CACERT" -x "$TLS_URL" 127.0.0.1 "$ECHO"
}

@test "integrity: fd passing (-F), direct" {
	pump --fdpass -F 127.0.0.1 "$ECHO"
}

@test "integrity: fd passing (-F) through SOCKS5 (danted)" {
	pump --fdpass -F -x "$DANTE_URL" 127.0.0.1 "$ECHO"
}
