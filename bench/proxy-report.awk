# proxy-report.awk -- the tables of proxy-bench.sh.  Run as
#
#   awk -v labels=FILE ... -f proxy-report.awk -f report.awk RAW
#
# report.awk's rules read benchrun's "run" and "sum" lines into RUN[] and
# V[] and it supplies the helpers (kv, fmt, paired, simple, range); this
# file's END comes first, prints the proxy tables and exits, so report.awk's
# own END (the nc-bench tables) does not run.
#
# Variables (-v): bytes rounds conns labels socks_note http_note
# labels: one line per candidate: name TAB group TAB role TAB label, where
#   group is direct, socks or http and role is ref (the driver without a
#   client: through the proxy, or straight to its server), self or peer.
#
# Ratios: sshproxy-nc / the best peer through the same proxy for each metric
# (highest throughput; lowest CPU, latency, RSS), / nc, and for throughput
# / the reference without a client through that proxy.  Throughput and CPU
# ratios are paired (per round, median over rounds), the others are ratios
# of medians.  Targets: throughput each way >= 1.00 x the best peer (both
# proxies); on the SOCKS path setup latency p50 and p90 <= 1.00 x nc and
# peak RSS <= 1.00 x nc.

BEGIN {
	while ((getline line < labels) > 0) {
		split(line, f, "\t")
		LN[++nl] = f[1]
		GRP[f[1]] = f[2]
		ROLE[f[1]] = f[3]
		LAB[f[1]] = f[4]
	}
	close(labels)
}

function lab(n) {
	return (n in LAB) ? LAB[n] : n
}

# best peer of group g for metric: key "up"/"down" with sub "mibs" or "cpu",
# or "p50"/"p90"/"rss"; hi=1 means higher is better
function best(g, d, m, hi,    i, n, v, bn, bv) {
	bn = ""
	for (i = 1; i <= nl; i++) {
		n = LN[i]
		if (GRP[n] != g || ROLE[n] != "peer")
			continue
		v = d == "" ? V[n, m] : V[n, d, m]
		if (v == "" || v + 0 < 0 || (v + 0 == 0 && m != "cpu"))
			continue
		if (bn == "" || (hi ? v + 0 > bv + 0 : v + 0 < bv + 0)) {
			bn = n
			bv = v
		}
	}
	return bn
}

function judge(r, op, t) {
	if (r == "")
		return "n/a"
	if (op == ">=")
		return sprintf("%s%.2f %s", op, t, r >= t ? "ok" : "MISS")
	return sprintf("%s%.2f %s", op, t, r <= t ? "ok" : "MISS")
}

function r2(r) {
	return r == "" ? "-" : sprintf("%.2f", r)
}

function measured_row(n, show,    lb, what) {
	lb = show != "" ? show : lab(n)
	if (ROLE[n] == "ref") {
		what = "(no client relay: the driver through the proxy)"
		if (GRP[n] == "direct")
			what = "(driver to its own server)"
		printf "%-28s %8s %9s   %s\n", lb,
		    fmt(V[n, "up", "mibs"], "%.0f"),
		    fmt(V[n, "down", "mibs"], "%.0f"), what
		return
	}
	printf "%-28s %8s %9s %8s %8s %7s %7s %8s\n", lb,
	    fmt(V[n, "up", "mibs"], "%.0f"),
	    fmt(V[n, "down", "mibs"], "%.0f"),
	    fmt(V[n, "up", "cpu"], "%.3f"),
	    fmt(V[n, "down", "cpu"], "%.3f"),
	    fmt(V[n, "p50"], "%.2f"), fmt(V[n, "p90"], "%.2f"),
	    fmt(V[n, "rss"], "%d")
}

# one row of the ratio table
#   what: metric label; d/m: as for best(); hi: higher is better;
#   pk: paired key prefix ("relay/up/secs", "relay/up/cpu") or "" for a
#   ratio of medians; inv: for paired(); f: value format;
#   tb/tn: target vs best / vs nc ("" = none), as ">=" or "<="
function ratio_row(g, self, nc, ref, what, d, m, hi, pk, inv, f, tb, tn,
    bp, sv, bv, rb, mm, rn, rr, tgt) {
	bp = best(g, d, m, hi)
	sv = d == "" ? V[self, m] : V[self, d, m]
	bv = bp == "" ? "" : (d == "" ? V[bp, m] : V[bp, d, m])
	mm = "-"
	rn = rr = ""
	if (pk != "") {
		rb = bp == "" ? "" : paired(pk, self, bp, inv, rounds)
		if (rb != "")
			mm = range(LO, HI)
		if (nc != "")
			rn = paired(pk, self, nc, inv, rounds)
		if (ref != "" && m == "mibs")
			rr = paired(pk, self, ref, inv, rounds)
	} else {
		rb = bp == "" ? "" : simple(sv, bv)
		if (nc != "")
			rn = simple(sv, d == "" ? V[nc, m] : V[nc, d, m])
	}
	tgt = ""
	if (tb != "")
		tgt = "vs best " judge(rb, tb, 1)
	if (tn != "")
		tgt = tgt (tgt == "" ? "" : "; ") "vs nc " judge(rn, tn, 1)
	if (tgt == "")
		tgt = "-"
	printf "%-14s %9s  %-26s %9s %6s %10s %6s %6s  %s\n", what,
	    fmt(sv, f), bp == "" ? "-" : lab(bp), fmt(bv, f), r2(rb), mm,
	    r2(rn), r2(rr), tgt
}

function section(g, title, gnote,    i, n, self, nc, ref, any, sock) {
	self = nc = ref = ""
	any = 0
	for (i = 1; i <= nl; i++) {
		n = LN[i]
		if (GRP[n] != g)
			continue
		any = 1
		if (ROLE[n] == "self")
			self = n
		else if (ROLE[n] == "ref")
			ref = n
		else if (n ~ /:nc$/)
			nc = n
	}
	printf "\n== %s\n", title
	if (!any) {
		printf "skipped: %s\n", gnote == "" ? "no candidate" : gnote
		return
	}
	printf "%-28s %8s %9s %8s %8s %7s %7s %8s\n", "candidate", "up",
	    "down", "up CPU", "down CPU", "setup", "setup", "peak RSS"
	printf "%-28s %8s %9s %8s %8s %7s %7s %8s\n", "", "MiB/s", "MiB/s",
	    "s/GiB", "s/GiB", "p50 ms", "p90 ms", "KiB"
	if (self != "")
		measured_row(self)
	for (i = 1; i <= nl; i++) {
		n = LN[i]
		if (GRP[n] == g && ROLE[n] == "peer")
			measured_row(n)
	}
	if (ref != "")
		measured_row(ref)
	for (i = 1; i <= nl; i++)
		if (GRP[LN[i]] == "direct")
			measured_row(LN[i], "(no proxy, no client)")

	if (self == "") {
		printf "(sshproxy-nc not measured: no ratios)\n"
		return
	}
	sock = g == "socks"
	printf "\n%s: sshproxy-nc / best peer for each metric, / %s, " \
	    "/ no-client reference\n", title, nc == "" ? "nc (n/a)" : lab(nc)
	printf "%-14s %9s  %-26s %9s %6s %10s %6s %6s  %s\n", "metric",
	    "sshprx-nc", "best peer", "its value", "/best", "min-max",
	    "/nc", "/ref", "target"
	ratio_row(g, self, nc, ref, "up MiB/s", "up", "mibs", 1,
	    "relay/up/secs", 1, "%.0f", ">=", "")
	ratio_row(g, self, nc, ref, "down MiB/s", "down", "mibs", 1,
	    "relay/down/secs", 1, "%.0f", ">=", "")
	ratio_row(g, self, nc, ref, "up CPU s/GiB", "up", "cpu", 0,
	    "relay/up/cpu", 0, "%.3f", "", "")
	ratio_row(g, self, nc, ref, "down CPU s/GiB", "down", "cpu", 0,
	    "relay/down/cpu", 0, "%.3f", "", "")
	ratio_row(g, self, nc, ref, "setup p50 ms", "", "p50", 0, "", 0,
	    "%.2f", "", sock ? "<=" : "")
	ratio_row(g, self, nc, ref, "setup p90 ms", "", "p90", 0, "", 0,
	    "%.2f", "", sock ? "<=" : "")
	ratio_row(g, self, nc, ref, "peak RSS KiB", "", "rss", 0, "", 0,
	    "%d", "", sock ? "<=" : "")
}

END {
	printf "\nMeasured: median of %s rounds of %s each way (one " \
	    "interleaved run over both proxies); setup latency over %s " \
	    "connections\n", rounds, bytes, conns
	printf "CPU and peak RSS are the client's only (not the proxy's, " \
	    "not the driver's)\n"
	section("socks", "SOCKS5 through danted", socks_note)
	section("http", "HTTP CONNECT through tinyproxy", http_note)
	printf "\nmin-max: smallest and largest per-round ratio to the best " \
	    "peer; /ref: share of what the proxy\ncarries with no client in " \
	    "the way (the driver speaks SOCKS5/CONNECT itself)\n"

	nb = 0
	for (i = 1; i <= nl; i++)
		if (bad[LN[i]] != "") {
			if (!nb++)
				printf "\nRuns that failed or needed SIGHUP " \
				    "(failed runs are not in the medians):\n"
			printf "  %s:%s\n", lab(LN[i]), bad[LN[i]]
		}
	exit
}
