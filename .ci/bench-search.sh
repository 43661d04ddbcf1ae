#!/usr/bin/env bash
# make bench (its search part): the search benchmark of issue 13 at 10,000 cases and
# 250,000 notes. It seeds a fictional demo vault once (about 3 minutes; kept in
# $BENCH_DIR for the next run), then runs each step of the bench module (bench/, its
# own Go module, so the product never depends on SQLite): the query set; our engine
# alone in a process (unlock, case list, index build, memory, note saves); then our
# engine, SQLite FTS5 and the persisted design's prototype on the same text, each
# query run by the three in turn; and prints one table (also written to
# $BENCH_DIR/search.md).
# docs/PERFORMANCE.md keeps the latest with the machine and load it ran at.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export LANG=en_US.UTF-8

dir=${BENCH_DIR:-.bench}
cases=${BENCH_CASES:-10000}
notes=${BENCH_NOTES:-25}
runs=${BENCH_RUNS:-40}
vault=$dir/vault-$cases-$notes
pass=$dir/passphrase
results=$dir/results-$cases-$notes
mkdir -p "$dir" "$results"
chmod 700 "$dir"
dir=$(cd "$dir" && pwd)
vault=$dir/vault-$cases-$notes
pass=$dir/passphrase
results=$dir/results-$cases-$notes
[ -f "$pass" ] || echo "bench passphrase for fictional demo data" >"$pass"
if [ ! -f "$vault/vault.json" ]; then
	rm -rf "$vault"
	echo "Seeding $cases fictional cases with $notes notes each into $vault (once)..."
	bin/casenotes --vault "$vault" --passphrase-file "$pass" init --name "Det. Bench Reader" --role detective >/dev/null
	bin/casenotes --vault "$vault" --passphrase-file "$pass" seed --cases "$cases" --notes-per-case "$notes" --now 2026-11-30
	rm -f "$results/queries.json"
fi
(cd bench && go build -o "$dir/searchbench" .)
b=("$dir/searchbench" -vault "$vault" -passphrase-file "$pass" -out "$results" -runs "$runs")
[ -f "$results/queries.json" ] || "${b[@]}" prepare
"${b[@]}" ours
"${b[@]}" compare
# What following a save costs the commit path, alone (the save's fsync dwarfs it,
# and its noise dwarfs it again in the end-to-end saves above).
go test -run '^$' -bench ObserveNoteSave -benchtime 2000x ./app/search >"$results/observe.txt"
"${b[@]}" table | tee "$dir/search.md"
