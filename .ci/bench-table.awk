# Turns `go test -bench` output into the table of design targets that `make bench`
# prints and docs/PERFORMANCE.md keeps. Benchmarks it does not know are listed raw.
function human(ns) {
	if (ns >= 1e9) return sprintf("%.2f s", ns / 1e9)
	if (ns >= 1e6) return sprintf("%.1f ms", ns / 1e6)
	if (ns >= 1e3) return sprintf("%.1f µs", ns / 1e3)
	return sprintf("%d ns", ns)
}
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	for (i = 3; i <= NF; i++) if ($(i) == "ns/op") ns[name] = $(i - 1)
	for (i = 3; i <= NF; i++) if ($(i) == "B/op") mem[name] = $(i - 1)
	order[n++] = name
}
END {
	printf "\n| Measure | Result | Target |\n|---|---|---|\n"
	if ("BenchmarkDeriveKeyCalibrated" in ns)
		printf "| Passphrase KDF, calibrated (one unlock) | %s | 0.5-1 s |\n", human(ns["BenchmarkDeriveKeyCalibrated"])
	if ("BenchmarkDeriveKey" in ns)
		printf "| Passphrase KDF at the floor (t=3, 64 MiB) | %s | - |\n", human(ns["BenchmarkDeriveKey"])
	s = ns["BenchmarkPutSynced/sealed"]; r = ns["BenchmarkPutSynced/raw"]
	if (s && r) {
		printf "| Save a 1 KiB note, sealed and synced | %s | - |\n", human(s)
		printf "| Raw Badger synced put of the same bytes | %s | - |\n", human(r)
		printf "| Ratio sealed / raw | %.2fx | <= 1.3x |\n", s / r
	}
	if ("BenchmarkReopen" in ns)
		printf "| Reopen the store (10,000 cases, 50,000 notes; no KDF) | %s | - |\n", human(ns["BenchmarkReopen"])
	for (i = 0; i < n; i++) {
		k = order[i]
		if (k ~ /DeriveKey|PutSynced|Reopen/) continue
		printf "| %s | %s | - |\n", k, human(ns[k])
	}
}
