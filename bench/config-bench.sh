#!/usr/bin/env bash
# What sshproxy.conf costs at connection time, next to nc -z: probes
# (-z, what Match exec runs on every ssh invocation) on loopback with no
# file, with a file of many rules, with a rule that races two routes
# (one fork per route), with a fallback whose first route is refused,
# and answered from the probe cache.  Prints one table: mean and median
# per probe and the ratio to "nc -z".
#
#   SSHPROXY_NC=$PWD/cmd/sshproxy-nc bench/config-bench.sh
#   BENCH_RUNS=300 (probes per case)   BENCH_RULES=200 (rules in the file)
#
# Needs hyperfine, socat, python3; microsocks for the SOCKS route (the
# race and fallback cases are skipped without it).  Talks to 127.0.0.1
# only, and stops exactly the servers it started.
set -u

here=$(cd "$(dirname "$0")" && pwd)
nc_bin=${SSHPROXY_NC:-$here/../cmd/sshproxy-nc}
runs=${BENCH_RUNS:-300}
nrules=${BENCH_RULES:-200}
for t in hyperfine socat python3; do
	command -v "$t" >/dev/null || { echo "config-bench: needs $t" >&2; exit 1; }
done
[ -x "$nc_bin" ] || { echo "config-bench: no $nc_bin (build first)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/sshproxy-config-bench.XXXXXX) || exit 1
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free loopback port (the kernel picks it; the socket is closed again).
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_port() {
	local i
	for i in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.05
	done
	echo "config-bench: nothing listens on $1" >&2
	return 1
}

port=$(free_port)
socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork,backlog=512" \
    /dev/null 2>/dev/null &
pids+=($!)
wait_port "$port" || exit 1

socks=
if command -v microsocks >/dev/null; then
	socks=$(free_port)
	microsocks -i 127.0.0.1 -p "$socks" >/dev/null 2>&1 &
	pids+=($!)
	wait_port "$socks" || exit 1
fi
dead=$(free_port)	# nothing listens there: refused at once

# Many rules that do not match, then the one that does.
{
	echo 'routes = { s = { via = "s"; }; d = { via = "dead"; }; };'
	echo "proxies = { s = { url = \"socks5h://127.0.0.1:${socks:-1}\"; };"
	echo "  dead = { url = \"socks5h://127.0.0.1:$dead\"; }; };"
	echo 'rules = ('
	for i in $(seq "$nrules"); do
		echo "  { host = \"*.corp$i.example.com, !www.corp$i.example.com\"; port = [22, 2222]; route = \"s\"; },"
	done
	echo '  { host = "*"; route = "direct"; }'
	echo ');'
} >"$tmp/many.conf"
cat >"$tmp/race.conf" <<EOF
proxies = { s = { url = "socks5h://127.0.0.1:${socks:-1}"; }; };
routes = { s = { via = "s"; }; };
rules = ( { host = "*"; route = [ "direct", "s" ]; mode = "race"; } );
EOF
cat >"$tmp/fallback.conf" <<EOF
proxies = { dead = { url = "socks5h://127.0.0.1:$dead"; }; };
routes = { d = { via = "dead"; }; };
rules = ( { host = "*"; route = [ "d", "direct" ]; } );
EOF
mkdir -m 700 "$tmp/run"
export XDG_RUNTIME_DIR=$tmp/run
"$nc_bin" -c none -z --cache 3600 127.0.0.1 "$port" || {
	echo "config-bench: the probe itself fails" >&2; exit 1; }

names=() cmds=()
add() { names+=("$1"); cmds+=("$2"); }
command -v nc >/dev/null && add "nc -z" "nc -z 127.0.0.1 $port"
add "sshproxy-nc, no file" "$nc_bin -c none -z 127.0.0.1 $port"
add "sshproxy-nc, $nrules rules" "$nc_bin -c $tmp/many.conf -z 127.0.0.1 $port"
if [ -n "$socks" ]; then
	add "race: direct vs socks" "$nc_bin -c $tmp/race.conf -z 127.0.0.1 $port"
	add "fallback: refused, direct" "$nc_bin -c $tmp/fallback.conf -z 127.0.0.1 $port"
fi
add "cache hit (--cache)" "$nc_bin -c none -z --cache 3600 127.0.0.1 $port"

args=()
for i in "${!cmds[@]}"; do
	args+=(-n "${names[$i]}" "${cmds[$i]}")
done
hyperfine -N --warmup 20 --runs "$runs" --style none \
    --export-json "$tmp/r.json" "${args[@]}" >/dev/null || exit 1

python3 - "$tmp/r.json" <<'EOF'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
base = next((r for r in res if r["command"] == "nc -z"), res[0])
print("%-28s %10s %10s %8s" % ("probe of 127.0.0.1", "mean ms", "median ms",
      "vs " + base["command"]))
for r in res:
    print("%-28s %10.3f %10.3f %8.2f" % (r["command"], r["mean"] * 1e3,
          r["median"] * 1e3, r["mean"] / base["mean"]))
EOF
