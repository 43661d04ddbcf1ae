#!/usr/bin/env bash
# make bench (its scale part): every row of issue 12's table at BENCH_SCALE's size
# (10k by default, 50k for the regional task force), from fresh runs:
#   - peak memory while seeding N cases x 25 notes: `casenotes seed` in a process of
#     its own under /usr/bin/time -v (its maximum resident set size);
#   - that vault's size on disk; its cases and notes written out as case files of
#     2,000 cases (the bench module's casefiles step, so both sides load the same
#     fictional text the seed wrote);
#   - those files imported one after another into a fresh vault, each timed (is
#     each file as fast as the first?), then loaded into SQLite with an FTS5 index,
#     each timed; the sizes on disk of both (bench/load.go);
#   - the UI stall and Enter to dashboard drawn (BenchmarkUIStall, real KDF);
#   - the dashboard queries (BenchmarkDashboard10k).
# Everything is kept in $BENCH_DIR/scale-N (.bench/, ignored by git); the table is
# printed and written to $BENCH_DIR/scale-N/scale.md. docs/PERFORMANCE.md ("Scale")
# keeps the latest with the machine and its load.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export LANG=en_US.UTF-8

case "${BENCH_SCALE:-10k}" in
10k) cases=10000 ;;
50k) cases=50000 ;;
*k) cases=$((${BENCH_SCALE%k} * 1000)) ;;
*) cases=$BENCH_SCALE ;;
esac
scale=${BENCH_SCALE:-10k}
dir=${BENCH_DIR:-.bench}
mkdir -p "$dir"
chmod 700 "$dir"
dir=$(cd "$dir" && pwd)
out=$dir/scale-$cases
seeded=$out/seeded
imported=$out/imported
pass=$dir/passphrase
mkdir -p "$out"
[ -f "$pass" ] || echo "bench passphrase for fictional demo data" >"$pass"
[ -x bin/casenotes ] || go build -o bin/casenotes .
(cd bench && go build -o "$dir/searchbench" .)
b=("$dir/searchbench" -passphrase-file "$pass" -out "$out" -cases "$cases")
cn() { bin/casenotes --passphrase-file "$pass" "$@"; }

echo "Scale benchmark at $cases cases (load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "Seeding $cases fictional cases x 25 notes into $seeded..."
rm -rf "$seeded" "$imported"
cn --vault "$seeded" init --name "Det. Bench Reader" --role detective >/dev/null
/usr/bin/time -v -o "$out/seed.time" bin/casenotes --vault "$seeded" --passphrase-file "$pass" \
	seed --cases "$cases" --notes-per-case 25 --now 2026-11-30 >/dev/null &
timer=$!
# The peak's two parts, sampled twice a second: anonymous memory (the Go heap,
# Badger's memtables and caches) and mapped files (Badger's table files, which it
# reads and writes through mmap; pages the kernel can drop, but counted as resident).
anon=0 file=0
while kill -0 "$timer" 2>/dev/null; do
	for p in $(pgrep -P "$timer" || true); do
		read -r a f < <(awk '/^RssAnon:/{a=$2} /^RssFile:/{f=$2} END{print a+0, f+0}' "/proc/$p/status" 2>/dev/null || echo "0 0")
		if ((a > anon)); then anon=$a; fi
		if ((f > file)); then file=$f; fi
	done
	sleep 0.5
done
wait "$timer"
echo "RssAnon: $anon" >"$out/seed.rss"
echo "RssFile: $file" >>"$out/seed.rss"
grep -E "Maximum resident|Elapsed" "$out/seed.time"

echo "Writing its cases and notes as case files, importing them into a fresh vault, loading them into SQLite..."
"${b[@]}" -vault "$seeded" casefiles
cn --vault "$imported" init --name "Det. Bench Reader" --role detective >/dev/null
"${b[@]}" -vault "$imported" import
"${b[@]}" sqlite-load
rm -f "$out"/cases-*.json
rm -rf "$imported"

echo "UI stall at $cases cases (2 notes each; real KDF)..."
rm -rf "$out/stall-vault"
CASENOTES_STALL_CASES=$cases CASENOTES_STALL_VAULT=$out/stall-vault xvfb-run -a \
	go test -timeout 60m -run '^$' -bench 'BenchmarkUIStall' -benchtime 3x ./ui/ >"$out/stall.txt" 2>&1 ||
	{ tail -20 "$out/stall.txt"; exit 1; }
echo "Dashboard queries at $cases cases..."
BENCH_SCALE=$scale CGO_ENABLED=0 go test -timeout 60m -tags casenotes_testkdf -run '^$' -bench 'Dashboard10k' \
	-benchtime 20x ./app/ >"$out/dashboard.txt" 2>&1 || { tail -20 "$out/dashboard.txt"; exit 1; }

"${b[@]}" -vault "$seeded" scale-table | tee "$out/scale.md"
