# report.awk -- turn benchrun's output (run and sum lines) into the tables
# printed by nc-bench.sh.  See README.md for what each number means.
#
# Variables (-v): bytes rounds conns ssh_bytes ssh_rounds cipher ssh_note
#
# Measured values are the medians benchrun computed ("sum" lines).  Ratios
# are paired: each round runs every candidate back to back, so the ratio is
# taken per round (candidate / base, both from the same round) and the
# median of those is printed; "min-max" lines show the smallest and largest
# per-round ratio for sshproxy-nc, i.e. how much to trust the median.

function kv(line, key,    n, i, a) {
	n = split(line, a, " ")
	for (i = 1; i <= n; i++)
		if (index(a[i], key "=") == 1)
			return substr(a[i], length(key) + 2)
	return ""
}

function fmt(v, f) {
	return (v == "" || v + 0 < 0) ? "-" : sprintf(f, v)
}

function mark(r, op, t) {
	if (r == "")
		return "n/a"
	if (op == ">=")
		return sprintf("%.2f %s", r, r >= t ? "ok" : "MISS")
	return sprintf("%.2f %s", r, r <= t ? "ok" : "MISS")
}

function plain(r) {
	return r == "" ? "n/a" : sprintf("%.2f", r)
}

# per-round ratios of RUN[key, name, round] to RUN[key, base, round];
# inv=1 gives base/name.  Sets LO and HI; returns the median or "".
function paired(key, name, base, inv, nr,    r, a, b, k, v, i, j, t) {
	k = 0
	for (r = 0; r < nr; r++) {
		if (!((key, name, r) in RUN) || !((key, base, r) in RUN))
			continue
		a = RUN[key, name, r] + 0
		b = RUN[key, base, r] + 0
		if (a <= 0 || b <= 0)
			continue
		v[++k] = inv ? b / a : a / b
	}
	LO = HI = ""
	if (k == 0)
		return ""
	for (i = 2; i <= k; i++) {
		t = v[i]
		for (j = i - 1; j >= 1 && v[j] > t; j--)
			v[j + 1] = v[j]
		v[j + 1] = t
	}
	LO = v[1]
	HI = v[k]
	return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
}

function range(lo, hi) {
	return lo == "" ? "n/a" : sprintf("%.2f-%.2f", lo, hi)
}

function simple(a, b) {
	return (a == "" || b == "" || a + 0 <= 0 || b + 0 <= 0) ? "" : a / b
}

$1 == "run" && $3 != "warmup" && kv($0, "ok") == 1 {
	# run MODE DIR NAME ROUND ...
	RUN[$2 "/" $3 "/secs", $4, $5] = kv($0, "secs")
	RUN[$2 "/" $3 "/cpu", $4, $5] = kv($0, "cpu")
	RUN[$2 "/" $3 "/xfer", $4, $5] = kv($0, "xfer_mibs")
}

$1 == "sum" {
	mode = $2
	dir = $3
	name = $4
	if (!(name in seen)) {
		seen[name] = 1
		order[++nn] = name
	}
	split(kv($0, "ok"), oo, "/")
	if (oo[1] != oo[2])
		bad[name] = bad[name] " " mode "/" dir ":" oo[1] "/" oo[2] "-ok"
	if (mode == "relay") {
		V[name, dir, "mibs"] = oo[1] ? kv($0, "mibs") : ""
		V[name, dir, "cpu"] = oo[1] ? kv($0, "cpu_per_gib") : ""
		V[name, dir, "drv"] = oo[1] ? kv($0, "drv_cpu_per_gib") : ""
		h = kv($0, "hwm_kib") + 0
		if (oo[1] && h > V[name, "rss"] + 0)
			V[name, "rss"] = h
		if (kv($0, "forced") + 0)
			bad[name] = bad[name] " relay/" dir ":needed-SIGHUP"
		has_relay[name] = 1
	} else if (mode == "latency") {
		V[name, "p50"] = oo[1] ? kv($0, "p50_ms") : ""
		V[name, "p90"] = oo[1] ? kv($0, "p90_ms") : ""
	} else if (mode == "cmd") {
		S[name, dir] = oo[1] ? kv($0, "secs") : ""
		XM[name, dir] = oo[1] ? kv($0, "xfer_mibs") : ""
		if (!(name in sseen)) {
			sseen[name] = 1
			sorder[++sn] = name
		}
	}
}

END {
	row = "%-16s %9s %10s %9s %10s %9s %9s %9s\n"
	printf "\nMeasured (median of %s rounds of %s each way; setup latency " \
	    "over %s connections)\n", rounds, bytes, conns
	printf row, "candidate", "up MiB/s", "down MiB/s", "up CPU",
	    "down CPU", "setup", "setup", "peak RSS"
	printf row, "", "", "", "s/GiB", "s/GiB", "p50 ms", "p90 ms", "KiB"
	for (i = 1; i <= nn; i++) {
		n = order[i]
		if (n == "harness-ceiling" || !(n in has_relay))
			continue
		printf row, n,
		    fmt(V[n, "up", "mibs"], "%.0f"),
		    fmt(V[n, "down", "mibs"], "%.0f"),
		    fmt(V[n, "up", "cpu"], "%.3f"),
		    fmt(V[n, "down", "cpu"], "%.3f"),
		    fmt(V[n, "p50"], "%.2f"), fmt(V[n, "p90"], "%.2f"),
		    fmt(V[n, "rss"], "%d")
	}
	n = "harness-ceiling"
	if (n in has_relay)
		printf "%-16s %9s %10s   (reference: the driver straight to " \
		    "its own server, no relay)\n", "(no relay)",
		    fmt(V[n, "up", "mibs"], "%.0f"),
		    fmt(V[n, "down", "mibs"], "%.0f")
	printf "harness CPU s/GiB (generator+server+sink) up/down:"
	for (i = 1; i <= nn; i++) {
		n = order[i]
		if (n in has_relay)
			printf " %s %s/%s",
			    (n == "harness-ceiling" ? "no-relay" : n),
			    fmt(V[n, "up", "drv"], "%.2f"),
			    fmt(V[n, "down", "drv"], "%.2f")
	}
	printf "\n"

	b = "nc"
	row = "%-16s %11s %11s %11s %11s %11s %11s %11s\n"
	if (!(b in has_relay))
		printf "\nRatios to nc: n/a (OpenBSD nc not installed)\n"
	else {
		printf "\nRatio to nc -N (median of per-round ratios; ok/MISS " \
		    "judged for sshproxy-nc only)\n"
		printf row, "candidate", "up thr", "down thr", "up CPU",
		    "down CPU", "setup p50", "setup p90", "peak RSS"
		printf row, "target", ">=1.50", ">=1.50", "<=0.50", "<=0.50",
		    "<=1.00", "<=1.00", "<=1.00"
	}
	for (i = 1; i <= nn && (b in has_relay); i++) {
		n = order[i]
		if (n == "harness-ceiling" || n == b || !(n in has_relay))
			continue
		ru = paired("relay/up/secs", n, b, 1, rounds)
		gu = range(LO, HI)
		rd = paired("relay/down/secs", n, b, 1, rounds)
		gd = range(LO, HI)
		cu = paired("relay/up/cpu", n, b, 0, rounds)
		hu = range(LO, HI)
		cd = paired("relay/down/cpu", n, b, 0, rounds)
		hd = range(LO, HI)
		l5 = simple(V[n, "p50"], V[b, "p50"])
		l9 = simple(V[n, "p90"], V[b, "p90"])
		rs = simple(V[n, "rss"], V[b, "rss"])
		if (n == "sshproxy-nc") {
			printf row, n, mark(ru, ">=", 1.5), mark(rd, ">=", 1.5),
			    mark(cu, "<=", 0.5), mark(cd, "<=", 0.5),
			    mark(l5, "<=", 1), mark(l9, "<=", 1),
			    mark(rs, "<=", 1)
			printf row, "  min-max", gu, gd, hu, hd, "", "", ""
		} else
			printf row, n, plain(ru), plain(rd), plain(cu),
			    plain(cd), plain(l5), plain(l9), plain(rs)
	}

	if (sn > 0) {
		row = "%-14s %6s | %7s %9s %6s %9s | %7s %9s %6s %9s\n"
		printf "\nssh through each as ProxyCommand: %s up " \
		    "(cat >/dev/null) and down (head -c), median of %s, " \
		    "cipher %s\n", ssh_bytes, ssh_rounds, cipher
		printf row, "", "setup", "upload", "", "xfer", "",
		    "downld", "", "xfer", ""
		printf row, "variant", "s", "s", "ratio", "MiB/s", "ratio",
		    "s", "ratio", "MiB/s", "ratio"
		for (i = 1; i <= sn; i++) {
			n = sorder[i]
			ru = paired("cmd/up/secs", n, "direct", 0, ssh_rounds)
			gu = range(LO, HI)
			rd = paired("cmd/down/secs", n, "direct", 0, ssh_rounds)
			gd = range(LO, HI)
			xu = paired("cmd/up/xfer", n, "direct", 1, ssh_rounds)
			hu = range(LO, HI)
			xd = paired("cmd/down/xfer", n, "direct", 1, ssh_rounds)
			hd = range(LO, HI)
			if (n == "sshproxy-nc" || n == "sshproxy-nc-F") {
				ru = mark(ru, "<=", 1.0)
				rd = mark(rd, "<=", 1.0)
				xu = mark(xu, "<=", 1.0)
				xd = mark(xd, "<=", 1.0)
				minmax = sprintf(row, "  min-max", "", "", gu,
				    "", hu, "", gd, "", hd)
			} else {
				ru = plain(ru)
				rd = plain(rd)
				xu = plain(xu)
				xd = plain(xd)
			}
			printf row, n, fmt(S[n, "setup"], "%.3f"),
			    fmt(S[n, "up"], "%.3f"), ru,
			    fmt(XM[n, "up"], "%.0f"), xu,
			    fmt(S[n, "down"], "%.3f"), rd,
			    fmt(XM[n, "down"], "%.0f"), xd
			printf "%s", minmax
			minmax = ""
		}
		printf "ratio = time / time of direct ssh in the same round " \
		    "(median over rounds); target for sshproxy-nc (-F) <= 1.00\n"
		printf "setup = \"ssh host true\"; upload/downld s = whole " \
		    "command, connection setup included;\n"
		printf "xfer = steady state: bytes after the first eighth / " \
		    "time from there to ssh exit\n"
		printf "noise: the -F variants are not in the data path (ssh " \
		    "owns the socket), so their distance from 1.00 is noise\n"
	} else if (ssh_note != "")
		printf "\nssh section skipped: %s\n", ssh_note

	nb = 0
	for (i = 1; i <= nn; i++)
		if (bad[order[i]] != "") {
			if (!nb++)
				printf "\nRuns that failed or needed SIGHUP " \
				    "(failed runs are not in the medians):\n"
			printf "  %s:%s\n", order[i], bad[order[i]]
		}
}
