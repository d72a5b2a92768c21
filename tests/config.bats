#!/usr/bin/env bats
# sshproxy.conf end to end: rules pick routes through real proxies on
# loopback, fallback and race across routes, --explain, the policy, file
# permissions, broken files, the probe cache and the audit log.
#
# Every test writes its own configuration into its own temp dir and passes
# it with -c; every destination is a numeric loopback address (names appear
# only in --explain and in policy refusals, which never resolve).  Fixtures
# shared by the file (started in setup_file, stopped by PID):
#   ECHO, ECHO2   socat echo servers (cat)
#   SINK          reads until EOF, then sends $SINK_BYTES bytes and closes
#   GREET         reads 12 bytes, then sends the same $SINK_BYTES and closes
#                 (for microsocks, which loses half-close)
#   DANTE         danted, no auth (keeps half-close)
#   TP            tinyproxy, no auth (loses half-close: --no-half-close)
#   SSHD_PORT     a throwaway sshd
# A test's own fixtures (badproxy, microsocks with a password, a probe
# listener) are started in the test and stopped in teardown.

load lib/common
load lib/proxies
load lib/sshd

: "${SSHPROXY_SOCKS:=$top_builddir/cmd/sshproxy-socks}"
: "${SSHPROXY_CHAIN:=$top_builddir/cmd/sshproxy-chain}"

setup_file() {
	spt_setup_file
	export CF_SKIP=
	CF_SKIP=$(spt_proxies_missing danted microsocks tinyproxy socat python3 \
		sshd ssh)
	[[ -n $CF_SKIP ]] && return 0
	local d=$BATS_FILE_TMPDIR

	DATA=$d/data1m
	head -c 1048576 /dev/urandom >"$DATA"
	SINK_BYTES=3001
	head -c "$SINK_BYTES" /dev/urandom >"$d/sinkdata"

	spt_sshd_start "$d/sshd"
	spt_server -f echo EXEC:cat
	ECHO=$SRV_PORT
	spt_server -f echo2 EXEC:cat
	ECHO2=$SRV_PORT
	spt_server -f sink "SYSTEM:cat >/dev/null; cat $d/sinkdata"
	SINK=$SRV_PORT
	spt_server -f greet "SYSTEM:head -c 12 >/dev/null; cat $d/sinkdata"
	GREET=$SRV_PORT
	start_danted
	DANTE=$DANTED_PORT DANTE_LOG=$DANTED_LOG
	start_tinyproxy
	TP=$TINYPROXY_PORT TP_LOG=$TINYPROXY_LOG
	export DATA SINK_BYTES ECHO ECHO2 SINK GREET DANTE DANTE_LOG TP TP_LOG \
		SSHD_PORT SSH_CONFIG SSHD_DIR
}

teardown_file() {
	spt_proxies_teardown_file
}

setup() {
	[[ -n ${CF_SKIP:-} ]] && skip "$CF_SKIP"
	spt_setup
	spt_require_nc
	NC=$SSHPROXY_NC
	T=$BATS_TEST_TMPDIR
	CFG=$T/c.conf
	# Nothing from the machine or the user: only what -c names.
	unset SSHPROXY_CONFIG SSHPROXY_PROXY_PASSWORD all_proxy ALL_PROXY
	mkdir -m 700 "$T/run" "$T/xdg" "$T/home"
	export XDG_RUNTIME_DIR=$T/run XDG_CONFIG_HOME=$T/xdg
}

teardown() {
	spt_proxies_teardown
}

# conf TEXT: write $CFG, mode 0600.
conf() {
	( umask 077; printf '%s\n' "$1" >"$CFG" )
}

# The line number of the first line of $CFG matching REGEX.
line_of() {
	grep -n -m1 -E -- "$1" "$CFG" | cut -d: -f1
}

# PIDs of processes whose command line contains STRING (not this shell's).
procs_with() {
	local f c p
	for f in /proc/[0-9]*/cmdline; do
		c=$(tr '\0' ' ' <"$f" 2>/dev/null) || continue
		p=${f#/proc/}
		p=${p%/cmdline}
		[[ $c == *"$1"* ]] && printf '%s\n' "$p"
	done
	return 0
}

# Wait (up to 3 s) until no process mentions STRING.
wait_no_procs() {
	local i left
	for (( i = 0; i < 60; i++ )); do
		left=$(procs_with "$1")
		[[ -z $left ]] && return 0
		sleep 0.05
	done
	echo "processes left behind: $left" >&2
	ps -o pid,ppid,stat,args -p "${left//$'\n'/,}" >&2 || true
	return 1
}

# The last JSON line of FILE, field KEY, printed by python (None -> null).
audit_field() {
	python3 -c '
import json, sys
rec = json.loads(open(sys.argv[1]).read().splitlines()[int(sys.argv[3])])
v = rec[sys.argv[2]]
print("null" if v is None else str(v).lower() if isinstance(v, bool) else v)
' "$1" "$2" "${3:--1}"
}

PROXIES() {
	cat <<-EOF
	proxies = {
	  dante = { url = "socks5h://127.0.0.1:$DANTE"; };
	  tiny = { url = "http://127.0.0.1:$TP"; };
	};
	EOF
}

# ---------------------------------------------------------------- routing

@test "rules: one destination through danted (SOCKS5), another through tinyproxy (CONNECT), bytes intact" {
	conf "$(PROXIES)
routes = {
  socks = { via = \"dante\"; };
  web = { via = \"tiny\"; };
};
rules = (
  { host = \"127.0.0.1\"; port = $ECHO; route = \"socks\"; },
  { host = \"127.0.0.*\"; port = [ 1, $ECHO2 ]; route = \"web\"; }
);"
	spt_run -i -t 30 -o "$T/out1" "$NC" -c "$CFG" 127.0.0.1 "$ECHO" <"$DATA"
	spt_assert_status 0
	spt_assert_no_stderr
	cmp "$DATA" "$T/out1"

	spt_run -i -t 30 -o "$T/out2" "$NC" --no-half-close -c "$CFG" 127.0.0.1 "$ECHO2" \
		< <(cat "$DATA"; sleep 3)
	[[ $status == 0 || $(stat -c %s "$T/out2") == 1048576 ]]
	cmp "$DATA" "$T/out2"

	# Each proxy saw its own destination and not the other's.
	grep -q "127\.0\.0\.1[.:]$ECHO\b" "$DANTE_LOG"
	! grep -q "127\.0\.0\.1[.:]$ECHO2\b" "$DANTE_LOG"
	grep -q "127\.0\.0\.1:$ECHO2" "$TP_LOG"
	! grep -q "127\.0\.0\.1:$ECHO\b" "$TP_LOG"
}

@test "rules: a destination no rule matches goes direct (no proxy sees it)" {
	conf "$(PROXIES)
routes = { socks = { via = \"dante\"; }; };
rules = ( { host = \"127.0.0.1\"; port = 1; route = \"socks\"; } );"
	spt_run -i -o "$T/out" "$NC" -c "$CFG" 127.0.0.1 "$SINK" < <(printf abc)
	spt_assert_status 0
	cmp "$BATS_FILE_TMPDIR/sinkdata" "$T/out"
	! grep -q "127\.0\.0\.1[.:]$SINK\b" "$DANTE_LOG"
}

@test "ssh session: ProxyCommand sshproxy-nc -c FILE %h %p, the file routes 127.0.0.1 through danted" {
	conf "$(PROXIES)
routes = { socks = { via = \"dante\"; }; };
rules = (
  { host = \"127.0.0.1\"; port = $SSHD_PORT; route = \"socks\"; },
  { host = \"*\"; route = \"direct\"; }
);"
	spt_run -t 30 ssh -F "$SSH_CONFIG" -o "ProxyCommand=$NC -c $CFG %h %p" \
		127.0.0.1 'echo spt-config-ok'
	spt_assert_status 0
	[[ $output == spt-config-ok ]]
	grep -q "127\.0\.0\.1[.:]$SSHD_PORT\b" "$DANTE_LOG"
}

# ---------------------------------------------------------------- fallback and race

@test "fallback: the first route's proxy refuses, the second works; -v names the winner; audit says which" {
	local closed
	closed=$(spt_free_port)
	conf "proxies = {
  dead = { url = \"socks5h://127.0.0.1:$closed\"; };
  dante = { url = \"socks5h://127.0.0.1:$DANTE\"; };
};
routes = { first = { via = \"dead\"; }; second = { via = \"dante\"; }; };
rules = (
  { host = \"127.0.0.1\"; route = [ \"first\", \"second\" ]; }
);
audit = { file = \"$T/audit.log\"; };"
	spt_run -i -t 20 -o "$T/out" "$NC" -v -c "$CFG" 127.0.0.1 "$ECHO" < <(printf 'hello\n')
	spt_assert_status 0
	[[ $(cat "$T/out") == hello ]]
	grep -q "route first: Connection refused" "$err_file"
	grep -q "route second won" "$err_file"
	[[ $(audit_field "$T/audit.log" route) == second ]]
	[[ $(audit_field "$T/audit.log" rule) == "$CFG:$(line_of '^  \{ host')" ]]
	[[ $(audit_field "$T/audit.log" exit) == 0 ]]
	wait_no_procs "$CFG"
}

@test "race: a stalled first route does not hold up the second; the stalled proxy sees the close; no children left" {
	start_badproxy socks5-stall
	conf "proxies = {
  stall = { url = \"socks5h://127.0.0.1:$BADPROXY_PORT\"; };
  dante = { url = \"socks5h://127.0.0.1:$DANTE\"; };
};
routes = {
  slow = { via = \"stall\"; connect_timeout = 20; };
  good = { via = \"dante\"; };
};
rules = (
  { host = \"127.0.0.1\"; route = [ \"slow\", \"good\" ]; mode = \"race\";
    race_delay = 0.3; }
);
audit = { file = \"$T/audit.log\"; };"
	spt_run -i -t 30 -o "$T/out" "$NC" -v -c "$CFG" 127.0.0.1 "$ECHO" <"$DATA"
	spt_assert_status 0
	cmp "$DATA" "$T/out"
	spt_assert_elapsed_below 10000
	grep -q "route good won" "$err_file"
	[[ $(audit_field "$T/audit.log" route) == good ]]
	# The stalled route was really tried, and then closed.
	badproxy_wait_log '^1 accept '
	badproxy_wait_end 1 3
	wait_no_procs "$CFG"
}

@test "race: the winner is found quickly (well before the stalled route's 20 s timeout)" {
	start_badproxy socks5-stall
	conf "proxies = {
  stall = { url = \"socks5h://127.0.0.1:$BADPROXY_PORT\"; };
  dante = { url = \"socks5h://127.0.0.1:$DANTE\"; };
};
routes = {
  slow = { via = \"stall\"; connect_timeout = 20; };
  good = { via = \"dante\"; };
};
rules = (
  { host = \"127.0.0.1\"; route = [ \"slow\", \"good\" ]; mode = \"race\";
    race_delay = 0.3; }
);"
	spt_run -t 30 "$NC" -z -c "$CFG" 127.0.0.1 "$ECHO"
	spt_assert_status 0
	spt_assert_elapsed_below 5000
	spt_assert_elapsed_above 250
	badproxy_wait_end 1 3
	wait_no_procs "$CFG"
}

@test "race: every route fails: the last failure's status and one line listing each route" {
	local closed
	closed=$(spt_free_port)
	start_badproxy socks5-stall
	conf "proxies = {
  dead = { url = \"socks5h://127.0.0.1:$closed\"; };
  stall = { url = \"socks5h://127.0.0.1:$BADPROXY_PORT\"; };
};
routes = {
  refused = { via = \"dead\"; };
  slow = { via = \"stall\"; connect_timeout = 1; };
};
rules = (
  { host = \"127.0.0.1\"; route = [ \"refused\", \"slow\" ]; mode = \"race\"; }
);
audit = { file = \"$T/audit.log\"; };"
	spt_run -t 20 "$NC" -c "$CFG" 127.0.0.1 "$ECHO"
	spt_assert_status 75
	spt_assert_no_stdout
	spt_assert_diag
	[[ $(wc -l <"$err_file") == 1 ]]
	grep -q "no route worked (refused: Connection refused; slow: .*timed out" "$err_file"
	[[ $(audit_field "$T/audit.log" route) == null ]]
	[[ $(audit_field "$T/audit.log" exit) == 75 ]]
	badproxy_wait_end 1 3
	wait_no_procs "$CFG"
}

# ---------------------------------------------------------------- --explain

@test "--explain: rule line, routes, precedence (-w beats the file), password source but never the password" {
	printf 'pw-S3CRET-file\n' >"$T/pw"
	chmod 600 "$T/pw"
	conf "defaults = { connect_timeout = 7; idle_timeout = 60; };
proxies = {
  corp = { url = \"http://proxy.corp.example:3128\"; user = \"alice\";
           password_file = \"$T/pw\"; auth = \"basic\"; };
  inl = { url = \"socks5h://bob@127.0.0.1:1080\"; password = \"inl-S3CRET\"; };
};
routes = {
  office = { via = \"corp\"; };
  home = { via = \"inl\"; connect_timeout = 2; };
};
rules = (
  { host = \"*.corp.example !gw.corp.example\"; port = [ 22, 2222 ];
    route = [ \"office\", \"home\" ]; mode = \"race\"; connect_timeout = 3; },
  { host = \"*.corp.example\"; route = \"direct\"; idle_timeout = 5; }
);"
	local r1 r2
	r1=$(line_of 'host = "\*\.corp\.example !')
	r2=$(line_of 'route = "direct"')

	spt_run "$NC" -c "$CFG" --explain db.corp.example 22
	spt_assert_status 0
	spt_assert_no_stderr
	grep -qx "config $CFG" "$out_file"
	grep -qx "destination db.corp.example 22" "$out_file"
	grep -qx "rule $CFG:$r1" "$out_file"
	grep -qx 'match host "\*.corp.example !gw.corp.example" port 22,2222' "$out_file"
	grep -qx "mode race" "$out_file"
	grep -qx "route office via http://alice@proxy.corp.example:3128" "$out_file"
	grep -qx "  password alice@proxy.corp.example: password_file $T/pw" "$out_file"
	grep -qx "  http auth basic" "$out_file"
	grep -qx "route home via socks5h://bob@127.0.0.1:1080" "$out_file"
	grep -qx "  password bob@127.0.0.1: in the configuration file (hidden)" "$out_file"
	# The route's timeout beats the rule's, the rule's beats the defaults.
	[[ $(grep -A3 '^route office' "$out_file" | grep -m1 'connect_timeout') == "  connect_timeout 3.000" ]]
	[[ $(grep -A3 '^route home' "$out_file" | grep -m1 'connect_timeout') == "  connect_timeout 2.000" ]]
	grep -qx "idle_timeout 60.000" "$out_file"
	! grep -q S3CRET "$out_file"

	# -w on the command line beats the file, route and rule alike.
	spt_run "$NC" -c "$CFG" -w 9 -i 4 --explain db.corp.example 2222
	spt_assert_status 0
	grep -qx "connect_timeout 9.000" "$out_file"
	grep -qx "idle_timeout 4.000" "$out_file"
	! grep -q "connect_timeout [23]\.000" "$out_file"

	# Negated in rule 1: rule 2; another port: rule 2; no rule: direct, defaults.
	spt_run "$NC" -c "$CFG" --explain gw.corp.example 22
	grep -qx "rule $CFG:$r2" "$out_file"
	grep -qx "route direct" "$out_file"
	grep -qx "idle_timeout 5.000" "$out_file"
	grep -qx "connect_timeout 7.000" "$out_file"
	spt_run "$NC" -c "$CFG" --explain db.corp.example 443
	grep -qx "rule $CFG:$r2" "$out_file"
	spt_run "$NC" -c "$CFG" --explain elsewhere.example
	spt_assert_status 0
	grep -qx "destination elsewhere.example 22" "$out_file"
	grep -q "^rule none" "$out_file"
	grep -qx "route direct" "$out_file"
	grep -qx "connect_timeout 7.000" "$out_file"

	# Nothing secret, whatever the verbosity.
	spt_run "$NC" -vvv -c "$CFG" --explain db.corp.example 22
	! grep -q S3CRET "$out_file" "$err_file"
}

# ---------------------------------------------------------------- permissions

@test "permissions: an inline password in a 0644 file is exit 78 naming file:line; 0600 works; never printed" {
	start_microsocks -u spt -P 'ms-S3CRET'
	conf "proxies = {
  ms = {
    url = \"socks5h://spt@127.0.0.1:$MICROSOCKS_PORT\";
    password = \"ms-S3CRET\";
  };
};
routes = { auth = { via = \"ms\"; }; };
rules = ( { host = \"127.0.0.1\"; route = \"auth\"; } );"
	local pl
	pl=$(line_of 'password =')
	chmod 644 "$CFG"
	spt_run "$NC" -z -c "$CFG" 127.0.0.1 "$ECHO"
	spt_assert_status 78
	spt_assert_diag
	grep -q "^sshproxy-nc: $CFG:$pl: .*chmod 600" "$err_file"
	! grep -q S3CRET "$err_file"
	chmod 640 "$CFG"
	spt_run "$NC" -z -c "$CFG" 127.0.0.1 "$ECHO"
	spt_assert_status 78

	chmod 600 "$CFG"
	spt_run -i -o "$T/out" "$NC" -vvv -c "$CFG" 127.0.0.1 "$GREET" \
		< <(printf 'twelve bytes'; sleep 2)
	spt_assert_status 0
	cmp "$BATS_FILE_TMPDIR/sinkdata" "$T/out"
	! grep -q S3CRET "$err_file"
}

@test "permissions: a password_file others can read is exit 78 naming it" {
	start_microsocks -u spt -P 'pf-S3CRET'
	printf 'pf-S3CRET\n' >"$T/pw"
	chmod 644 "$T/pw"
	conf "proxies = {
  ms = { url = \"socks5h://spt@127.0.0.1:$MICROSOCKS_PORT\"; password_file = \"$T/pw\"; };
};
routes = { auth = { via = \"ms\"; }; };
rules = ( { host = \"127.0.0.1\"; route = \"auth\"; } );"
	chmod 644 "$CFG"	# no inline password: the file itself may be public
	spt_run "$NC" -c "$CFG" 127.0.0.1 "$ECHO"
	spt_assert_status 78
	grep -q "$T/pw" "$err_file"
	! grep -q S3CRET "$err_file"
	chmod 600 "$T/pw"
	spt_run -i -o "$T/out" "$NC" -c "$CFG" 127.0.0.1 "$GREET" \
		< <(printf 'twelve bytes'; sleep 2)
	spt_assert_status 0
	cmp "$BATS_FILE_TMPDIR/sinkdata" "$T/out"
}

# ---------------------------------------------------------------- policy

@test "policy refuse: exit 77 naming the line, for a connection and a -z probe, without connecting" {
	conf "proxies = { dante = { url = \"socks5h://127.0.0.1:$DANTE\"; }; };
routes = { socks = { via = \"dante\"; }; };
rules = ( { host = \"*\"; route = \"socks\"; } );
policy = {
  refuse = \"127.0.0.1 *.forbidden.example\";
};
audit = { file = \"$T/audit.log\"; };"
	local rl
	rl=$(line_of 'refuse =')
	spt_run "$NC" -c "$CFG" 127.0.0.1 "$SINK"
	spt_assert_status 77
	spt_assert_no_stdout
	spt_assert_diag
	grep -q "127.0.0.1 is refused by policy ($CFG:$rl: refuse" "$err_file"
	spt_run "$NC" -z -c "$CFG" 127.0.0.1 "$SINK"
	spt_assert_status 77
	grep -q "$CFG:$rl" "$err_file"
	spt_run "$NC" -z -q -c "$CFG" 127.0.0.1 "$SINK"
	spt_assert_status 77
	spt_assert_no_stderr
	# A name: refused before any lookup.
	spt_run "$NC" -z -c "$CFG" www.forbidden.example 22
	spt_assert_status 77
	spt_run "$NC" -c "$CFG" --explain www.forbidden.example
	spt_assert_status 77
	grep -q "^refused .*$CFG:$rl" "$out_file"
	! grep -q "127\.0\.0\.1[.:]$SINK\b" "$DANTE_LOG"
	[[ $(audit_field "$T/audit.log" exit 0) == 77 ]]
	[[ $(audit_field "$T/audit.log" action 1) == probe ]]
	grep -q "refused by policy" <(audit_field "$T/audit.log" reason 0)
	# Not even -x gets around it.
	spt_run "$NC" -c "$CFG" -x "socks5h://127.0.0.1:$DANTE" 127.0.0.1 "$SINK"
	spt_assert_status 77
}

@test "policy never_direct: a direct-only rule is 77; -x on the command line is allowed; proxied routes stay" {
	conf "proxies = { dante = { url = \"socks5h://127.0.0.1:$DANTE\"; }; };
routes = { socks = { via = \"dante\"; }; };
rules = (
  { host = \"127.0.0.1\"; port = $SINK; route = \"direct\"; },
  { host = \"127.0.0.1\"; port = $ECHO; route = [ \"direct\", \"socks\" ]; }
);
policy = { never_direct = \"127.0.0.*\"; };"
	local nl r1
	nl=$(line_of 'never_direct =')
	r1=$(line_of "port = $SINK;")
	spt_run "$NC" -c "$CFG" 127.0.0.1 "$SINK"
	spt_assert_status 77
	grep -q "must not be reached directly ($CFG:$nl: never_direct" "$err_file"
	grep -q "rule at line $r1 has no proxy route" "$err_file"
	spt_run "$NC" -z -c "$CFG" 127.0.0.1 "$SINK"
	spt_assert_status 77

	# The command line's proxy is a proxy: allowed.
	spt_run -i -o "$T/out" "$NC" -c "$CFG" -x "socks5h://127.0.0.1:$DANTE" 127.0.0.1 "$SINK" \
		< <(printf x)
	spt_assert_status 0
	cmp "$BATS_FILE_TMPDIR/sinkdata" "$T/out"

	# Direct is dropped from a mixed list: only the proxy is used.
	spt_run -i -o "$T/out2" "$NC" -v -c "$CFG" 127.0.0.1 "$ECHO" < <(printf 'mixed\n')
	spt_assert_status 0
	[[ $(cat "$T/out2") == mixed ]]
	spt_run "$NC" -c "$CFG" --explain 127.0.0.1 "$ECHO"
	! grep -qx "route direct" "$out_file"
	grep -q "^route socks via" "$out_file"
}

@test "policy: sshproxy-chain refuses a refused hop (77, before ssh runs); sshproxy-socks refuses too" {
	[[ -x $SSHPROXY_CHAIN && -x $SSHPROXY_SOCKS ]] || skip "chain/socks not built"
	conf "policy = { refuse = \"bastion.forbidden.example, 127.0.0.9\"; };"
	local rl
	rl=$(line_of 'refuse =')
	spt_run "$SSHPROXY_CHAIN" -c "$CFG" --dry-run --ssh /bin/false \
		ok.example+bastion.forbidden.example+db.example 22
	spt_assert_status 77
	spt_assert_no_stdout
	spt_assert_diag sshproxy-chain
	grep -q "hop 2: bastion.forbidden.example is refused by policy ($CFG:$rl" "$err_file"
	# The destination itself, too.
	spt_run "$SSHPROXY_CHAIN" -c "$CFG" --dry-run ok.example+127.0.0.9 22
	spt_assert_status 77
	# Allowed hops: the dry run prints the ssh command.
	spt_run "$SSHPROXY_CHAIN" -c "$CFG" --dry-run ok.example+db.example 22
	spt_assert_status 0
	grep -qx -- "-W" "$out_file"

	spt_run "$SSHPROXY_SOCKS" -c "$CFG" 127.0.0.9 22
	spt_assert_status 77
	spt_assert_diag sshproxy-socks
	grep -q "$CFG:$rl" "$err_file"
	spt_run "$SSHPROXY_SOCKS" -z -c "$CFG" bastion.forbidden.example 22
	spt_assert_status 77
}

@test "sshproxy-socks: the file's proxy \"tor\" is used (here: danted), with isolate = none" {
	[[ -x $SSHPROXY_SOCKS ]] || skip "sshproxy-socks not built"
	conf "proxies = { tor = { url = \"socks5h://127.0.0.1:$DANTE\"; isolate = \"none\"; }; };"
	spt_run -i -o "$T/out" "$SSHPROXY_SOCKS" -c "$CFG" 127.0.0.1 "$SINK" < <(printf x)
	spt_assert_status 0
	cmp "$BATS_FILE_TMPDIR/sinkdata" "$T/out"
	grep -q "127\.0\.0\.1[.:]$SINK\b" "$DANTE_LOG"
	# An http:// "tor" is a configuration error.
	conf "proxies = {
  tor = { url = \"http://127.0.0.1:$TP\"; };
};"
	spt_run "$SSHPROXY_SOCKS" -c "$CFG" 127.0.0.1 "$SINK"
	spt_assert_status 78
	grep -q "$CFG:2: proxy tor" "$err_file"
}

# ---------------------------------------------------------------- finding the file

@test "broken file: exit 78 with file:line for nc, socks and chain; even for -z" {
	conf "defaults = {
  connect_timeout = 5;
  conect_timeout = 5;
};"
	spt_run "$NC" -c "$CFG" 127.0.0.1 "$ECHO"
	spt_assert_status 78
	spt_assert_no_stdout
	grep -q "^sshproxy-nc: $CFG:3: unknown setting 'defaults.conect_timeout'" "$err_file"
	spt_run "$NC" -z -c "$CFG" 127.0.0.1 "$ECHO"
	spt_assert_status 78
	grep -q "$CFG:3:" "$err_file"
	spt_run "$NC" -c "$CFG" --explain 127.0.0.1
	spt_assert_status 78
	if [[ -x $SSHPROXY_SOCKS ]]; then
		spt_run "$SSHPROXY_SOCKS" -c "$CFG" 127.0.0.1 "$ECHO"
		spt_assert_status 78
		grep -q "^sshproxy-socks: $CFG:3:" "$err_file"
	fi
	if [[ -x $SSHPROXY_CHAIN ]]; then
		spt_run "$SSHPROXY_CHAIN" -c "$CFG" --dry-run a.example+b.example 22
		spt_assert_status 78
		grep -q "^sshproxy-chain: $CFG:3:" "$err_file"
	fi
	# A syntax error.
	conf 'rules = (
  { host = "*"; route = ; }
);'
	spt_run "$NC" -c "$CFG" 127.0.0.1 "$ECHO"
	spt_assert_status 78
	grep -q "^sshproxy-nc: $CFG:2: " "$err_file"
}

@test "@include: errors name the included file by a path usable from here; its permissions are checked; settings apply" {
	mkdir -m 700 "$T/etc"
	( umask 077
	  printf '@include "proxies.conf"\nrules = ( { host = "*"; route = "viadante"; } );\n' >"$T/etc/main.conf"
	  printf 'proxies = { d = { url = "socks5h://127.0.0.1:%s"; }; };\nroutes = { viadante = { via = "d"; }; };\n' \
		"$DANTE" >"$T/etc/proxies.conf" )
	# Relative -c: messages name etc/proxies.conf, not proxies.conf.
	cd "$T"
	spt_run "$NC" -c etc/main.conf --explain 127.0.0.1 "$ECHO"
	spt_assert_status 0
	grep -q "^route viadante" "$out_file"
	# A wrong setting in the included file.
	printf 'proxies = { d = { url = "socks5h://127.0.0.1:1"; ur = 1; }; };\n' >"$T/etc/proxies.conf"
	spt_run "$NC" -c etc/main.conf 127.0.0.1 "$ECHO"
	spt_assert_status 78
	grep -q "^sshproxy-nc: etc/proxies.conf:1: unknown setting 'proxies.d.ur'" "$err_file"
	# A syntax error there.
	printf 'proxies = { d = ; };\n' >"$T/etc/proxies.conf"
	spt_run "$NC" -c etc/main.conf 127.0.0.1 "$ECHO"
	spt_assert_status 78
	grep -q "^sshproxy-nc: etc/proxies.conf:1: " "$err_file"
	# An inline password in an included file others can read: refused,
	# with the chmod that mends it; private, it loads.
	printf 'proxies = { d = { url = "socks5h://u@127.0.0.1:%s"; password = "inc-S3CRET"; }; };\nroutes = { viadante = { via = "d"; }; };\n' \
		"$DANTE" >"$T/etc/proxies.conf"
	chmod 644 "$T/etc/proxies.conf"
	spt_run "$NC" -c etc/main.conf --explain 127.0.0.1 "$ECHO"
	spt_assert_status 78
	grep -q "^sshproxy-nc: etc/proxies.conf:1: .*chmod 600 etc/proxies.conf" "$err_file"
	! grep -q S3CRET "$err_file"
	chmod 600 "$T/etc/proxies.conf"
	spt_run "$NC" -c etc/main.conf --explain 127.0.0.1 "$ECHO"
	spt_assert_status 0
	! grep -q S3CRET "$out_file"
}

@test "finding the file: missing default is fine; -c missing is 78; \$SSHPROXY_CONFIG is read; -c none ignores it" {
	# An empty XDG_CONFIG_HOME and HOME: no user file.
	HOME=$T/home spt_run "$NC" --explain 127.0.0.1 "$ECHO"
	spt_assert_status 0
	[[ $(head -1 "$out_file") == "config none" ]] ||
		skip "a system-wide sshproxy.conf exists: $(head -1 "$out_file")"
	HOME=$T/home spt_run "$NC" -z 127.0.0.1 "$ECHO"
	spt_assert_status 0
	spt_assert_no_stderr

	# The user's file is found under XDG_CONFIG_HOME.
	mkdir -p "$T/xdg/sshproxy"
	printf 'policy = { refuse = "127.0.0.1"; };\n' >"$T/xdg/sshproxy/sshproxy.conf"
	HOME=$T/home spt_run "$NC" -z 127.0.0.1 "$ECHO"
	spt_assert_status 77
	grep -q "$T/xdg/sshproxy/sshproxy.conf:1" "$err_file"
	rm -r "$T/xdg/sshproxy"

	spt_run "$NC" -c "$T/nonexistent.conf" -z 127.0.0.1 "$ECHO"
	spt_assert_status 78
	grep -q "$T/nonexistent.conf: No such file" "$err_file"

	printf 'bogus = 1;\n' >"$CFG"
	SSHPROXY_CONFIG=$CFG spt_run "$NC" -z 127.0.0.1 "$ECHO"
	spt_assert_status 78
	grep -q "$CFG:1:" "$err_file"
	SSHPROXY_CONFIG=$CFG spt_run "$NC" -c none -z 127.0.0.1 "$ECHO"
	spt_assert_status 0
	spt_assert_no_stderr
	SSHPROXY_CONFIG=$CFG spt_run "$NC" -c none --explain 127.0.0.1
	grep -qx "config none" "$out_file"
	SSHPROXY_CONFIG=$T/nonexistent.conf spt_run "$NC" -z 127.0.0.1 "$ECHO"
	spt_assert_status 78
}

# ---------------------------------------------------------------- probe cache

@test "probe cache: a fresh answer is reused after the listener stops; an expired one is not" {
	conf 'rules = ( { host = "127.0.0.1"; route = "direct"; } );'
	spt_server -f probe EXEC:cat
	local port=$SRV_PORT pid=$SRV_PID
	spt_run "$NC" -z --cache 60 -c "$CFG" 127.0.0.1 "$port"
	spt_assert_status 0
	spt_assert_no_stderr
	[[ $(find "$T/run/sshproxy" -name 'probe-*' | wc -l) == 1 ]]

	spt_stop_pid "$pid"
	spt_run "$NC" -z -c "$CFG" 127.0.0.1 "$port"
	spt_assert_status 1		# really not listening now
	spt_run "$NC" -z -v --cache 60 -c "$CFG" 127.0.0.1 "$port"
	spt_assert_status 0
	grep -q "cached" "$err_file"
	sleep 2
	spt_run "$NC" -z --cache 1 -c "$CFG" 127.0.0.1 "$port"
	spt_assert_status 1
	# ...and that answer is cached too.
	spt_run "$NC" -z --cache 60 -c "$CFG" 127.0.0.1 "$port"
	spt_assert_status 1
	# A different route is a different entry.
	spt_run "$NC" -z --cache 60 -c none 127.0.0.1 "$port"
	spt_assert_status 1
	[[ $(find "$T/run/sshproxy" -name 'probe-*' | wc -l) == 2 ]]
}

@test "probe cache: 50 concurrent probes; every file whole, no temporary files left" {
	conf 'rules = ( { host = "*"; route = "direct"; } );'
	local i p port
	local -a ports=("$ECHO" "$ECHO2" "$SINK" "$(spt_free_port)" "$(spt_free_port)")
	local -a pids=()
	for (( i = 0; i < 50; i++ )); do
		port=${ports[i % 5]}
		timeout 20 "$NC" -z --cache 60 -c "$CFG" 127.0.0.1 "$port" </dev/null \
			>"$T/p$i.out" 2>"$T/p$i.err" &
		pids+=($!)
	done
	for (( i = 0; i < 50; i++ )); do
		p=0
		wait "${pids[i]}" || p=$?
		if (( i % 5 < 3 )); then
			[[ $p == 0 ]] || { echo "probe $i: $p" >&2; false; }
		else
			[[ $p == 1 ]] || { echo "probe $i: $p" >&2; false; }
		fi
	done
	[[ $(find "$T/run/sshproxy" -type f | wc -l) == 5 ]]
	[[ -z $(find "$T/run/sshproxy" -type f ! -regex '.*/probe-[0-9a-f]*') ]]
	local f
	for f in "$T"/run/sshproxy/probe-*; do
		[[ $(wc -l <"$f") == 4 ]]
		[[ $(head -1 "$f") == "sshproxy-probe-cache 1" ]]
		[[ $(sed -n 3p "$f") == [01] ]]
	done
}

@test "probe cache: a group-writable or symlinked cache dir is not used; the probe still answers" {
	conf 'rules = ( { host = "127.0.0.1"; route = "direct"; } );'
	spt_server -f probe EXEC:cat
	local port=$SRV_PORT pid=$SRV_PID
	mkdir -m 770 "$T/run/sshproxy"
	chmod 770 "$T/run/sshproxy"
	spt_run "$NC" -z --cache 60 -c "$CFG" 127.0.0.1 "$port"
	spt_assert_status 0
	[[ -z $(ls -A "$T/run/sshproxy") ]]
	rmdir "$T/run/sshproxy"

	mkdir -m 700 "$T/elsewhere"
	ln -s "$T/elsewhere" "$T/run/sshproxy"
	spt_run "$NC" -z --cache 60 -c "$CFG" 127.0.0.1 "$port"
	spt_assert_status 0
	[[ -z $(ls -A "$T/elsewhere") ]]

	# Nothing was cached: once the listener is gone the answer is 1.
	spt_stop_pid "$pid"
	spt_run "$NC" -z --cache 60 -c "$CFG" 127.0.0.1 "$port"
	spt_assert_status 1
	rm "$T/run/sshproxy"
	mkdir -m 770 "$T/run/sshproxy"
	chmod 770 "$T/run/sshproxy"
	spt_run "$NC" -z --cache 60 -c "$CFG" 127.0.0.1 "$port"
	spt_assert_status 1
}

# ---------------------------------------------------------------- audit

@test "audit: one JSON line per connection with the bytes each way, rule, route; 0600; no password" {
	start_microsocks -u spt -P 'au-S3CRET'
	conf "proxies = {
  ms = { url = \"socks5h://spt@127.0.0.1:$MICROSOCKS_PORT\"; password = \"au-S3CRET\"; };
  dante = { url = \"socks5h://127.0.0.1:$DANTE\"; };
};
routes = { viadante = { via = \"dante\"; }; viams = { via = \"ms\"; }; };
rules = (
  { host = \"127.0.0.1\"; port = $SINK; route = \"viadante\"; },
  { host = \"127.0.0.1\"; port = $GREET; route = \"viams\"; }
);
audit = { file = \"$T/audit.log\"; };"
	local rl
	rl=$(line_of "port = $SINK;")
	head -c 1234 /dev/urandom >"$T/in"
	spt_run -i -o "$T/out" "$NC" -c "$CFG" 127.0.0.1 "$SINK" <"$T/in"
	spt_assert_status 0
	[[ $(stat -c %s "$T/out") == "$SINK_BYTES" ]]
	[[ $(stat -c %a "$T/audit.log") == 600 ]]
	[[ $(wc -l <"$T/audit.log") == 1 ]]
	python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/audit.log"
	[[ $(audit_field "$T/audit.log" bytes_out) == 1234 ]]
	[[ $(audit_field "$T/audit.log" bytes_in) == "$SINK_BYTES" ]]
	[[ $(audit_field "$T/audit.log" route) == viadante ]]
	[[ $(audit_field "$T/audit.log" rule) == "$CFG:$rl" ]]
	[[ $(audit_field "$T/audit.log" host) == 127.0.0.1 ]]
	[[ $(audit_field "$T/audit.log" port) == "$SINK" ]]
	[[ $(audit_field "$T/audit.log" action) == relay ]]
	[[ $(audit_field "$T/audit.log" program) == sshproxy-nc ]]
	[[ $(audit_field "$T/audit.log" exit) == 0 ]]
	[[ $(audit_field "$T/audit.log" via) == "via socks5h://127.0.0.1:$DANTE" ]]

	# Through the proxy with a password: the password is nowhere.
	spt_run -i -o "$T/out2" "$NC" -c "$CFG" 127.0.0.1 "$GREET" \
		< <(printf 'twelve bytes'; sleep 2)
	spt_assert_status 0
	cmp "$BATS_FILE_TMPDIR/sinkdata" "$T/out2"
	[[ $(wc -l <"$T/audit.log") == 2 ]]
	[[ $(audit_field "$T/audit.log" route) == viams ]]
	[[ $(audit_field "$T/audit.log" bytes_out) == 12 ]]
	[[ $(audit_field "$T/audit.log" bytes_in) == "$SINK_BYTES" ]]
	[[ $(audit_field "$T/audit.log" via) == "via socks5h://spt@127.0.0.1:$MICROSOCKS_PORT" ]]
	! grep -q S3CRET "$T/audit.log"

	# Probes: action probe, cached false then true.
	spt_run "$NC" -z --cache 60 -c "$CFG" 127.0.0.1 "$SINK"
	spt_assert_status 0
	spt_run "$NC" -z --cache 60 -c "$CFG" 127.0.0.1 "$SINK"
	spt_assert_status 0
	[[ $(wc -l <"$T/audit.log") == 4 ]]
	[[ $(audit_field "$T/audit.log" action 2) == probe ]]
	[[ $(audit_field "$T/audit.log" cached 2) == false ]]
	[[ $(audit_field "$T/audit.log" action 3) == probe ]]
	[[ $(audit_field "$T/audit.log" cached 3) == true ]]
	[[ $(audit_field "$T/audit.log" bytes_out 3) == 0 ]]
	python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/audit.log"
}

@test "audit: a symlink in place of the log file is refused (78), nothing written through it" {
	conf "audit = {
  file = \"$T/audit.log\";
};"
	: >"$T/target"
	ln -s "$T/target" "$T/audit.log"
	spt_run "$NC" -z -c "$CFG" 127.0.0.1 "$ECHO"
	spt_assert_status 78
	grep -q "$CFG:1: audit file $T/audit.log" "$err_file"
	[[ ! -s $T/target ]]
}

@test "audit to syslog: one authpriv.info record tagged sshproxy[pid], JSON, no password" {
	# syslog(3) writes to /dev/log: in a private mount namespace a
	# socket of ours is mounted there, so nothing reaches the machine's
	# logger and the test needs none.
	command -v unshare >/dev/null || skip "unshare (util-linux) not installed"
	unshare -m --propagation private true 2>/dev/null ||
		skip "no private mount namespace here (unshare -m refused)"
	start_microsocks -u spt -P 'sl-S3CRET'
	conf "proxies = {
  ms = { url = \"socks5h://spt@127.0.0.1:$MICROSOCKS_PORT\"; password = \"sl-S3CRET\"; };
};
routes = { viams = { via = \"ms\"; }; };
rules = ( { host = \"127.0.0.1\"; route = \"viams\"; } );
audit = { syslog = true; };"
	# A /dev of our own: the log socket, the common nodes bound from the
	# real /dev (valgrind and ASan runs need more than /dev/null).
	mkdir "$T/dev" "$T/dev/shm"
	local nodes="null zero full random urandom"
	for i in $nodes; do : >"$T/dev/$i"; done
	ln -s /proc/self/fd "$T/dev/fd"
	spt_spawn syslogd python3 "$top_srcdir/tests/fixtures/syslogd.py" \
		"$T/dev/log" "$T/syslog.out"
	local i
	for (( i = 0; i < 100; i++ )); do
		[[ -S $T/dev/log ]] && break
		sleep 0.05
	done
	[[ -S $T/dev/log ]]
	# /dev becomes $T/dev, with our log socket in it.  GREET
	# answers after 12 bytes, with stdin still open: microsocks does not
	# pass a half-close on.
	spt_run -i -o "$T/out" unshare -m --propagation private sh -c '
		for n in $2; do mount --bind "/dev/$n" "$1/dev/$n" || exit 1; done
		mount --bind /dev/shm "$1/dev/shm" &&
		mount --rbind "$1/dev" /dev && shift 2 && exec "$@"' sh "$T" "$nodes" \
		"$NC" -c "$CFG" 127.0.0.1 "$GREET" < <(printf 'twelve bytes'; sleep 2)
	spt_assert_status 0
	cmp "$BATS_FILE_TMPDIR/sinkdata" "$T/out"
	for (( i = 0; i < 40; i++ )); do
		[[ -s $T/syslog.out ]] && break
		sleep 0.05
	done
	[[ $(wc -l <"$T/syslog.out") == 1 ]]
	# <86> = authpriv (10) * 8 + info (6); then the tag with our pid.
	grep -Eq '^<86>.*sshproxy\[[0-9]+\]: \{' "$T/syslog.out"
	sed 's/^[^{]*//' "$T/syslog.out" >"$T/rec.json"
	[[ $(audit_field "$T/rec.json" route) == viams ]]
	[[ $(audit_field "$T/rec.json" bytes_out) == 12 ]]
	[[ $(audit_field "$T/rec.json" bytes_in) == "$SINK_BYTES" ]]
	[[ $(audit_field "$T/rec.json" exit) == 0 ]]
	! grep -q S3CRET "$T/syslog.out"
	# The file is not touched when syslog is chosen.
	[[ ! -e $T/audit.log ]]
}

@test "audit with fd passing (-F, ProxyUseFdpass): action fdpass, route, exit 0, no bytes counted" {
	conf "$(PROXIES)
routes = { viadante = { via = \"dante\"; }; };
rules = ( { host = \"127.0.0.1\"; route = \"viadante\"; } );
audit = { file = \"$T/audit.log\"; };"
	spt_run -t 20 ssh -F "$SSH_CONFIG" \
		-o "ProxyCommand=$(printf %q "$NC") -c $(printf %q "$CFG") -F %h %p" \
		-o ProxyUseFdpass=yes 127.0.0.1 'echo over a passed fd'
	spt_assert_status 0
	[[ $(cat "$out_file") == "over a passed fd" ]]
	[[ $(wc -l <"$T/audit.log") == 1 ]]
	[[ $(audit_field "$T/audit.log" action) == fdpass ]]
	[[ $(audit_field "$T/audit.log" route) == viadante ]]
	[[ $(audit_field "$T/audit.log" port) == "$SSHD_PORT" ]]
	[[ $(audit_field "$T/audit.log" exit) == 0 ]]
	# ssh relays the bytes itself: we saw none, and say so.
	[[ $(audit_field "$T/audit.log" bytes_out) == 0 ]]
	[[ $(audit_field "$T/audit.log" bytes_in) == 0 ]]
}
