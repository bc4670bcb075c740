#!/usr/bin/env bash
# Performance harness: aiguard against the gitleaks CLI v8.30.1, Betterleaks
# v1.2.0 and the cost of only reading the history (`git log -p`), side by
# side on deterministic histories built from the Go toolchain's own sources.
# See README.md, "Performance". Everything it builds or downloads goes under
# $BENCH_DIR (default .bench/, git-ignored).
#
# Environment:
#   MAIN=small         history size for the side-by-side and directory scans
#   SIZES="small medium large"   sizes for the scaling series
#   RUNS=5             runs per command side by side (medians are reported)
#   SCALE_RUNS=1       runs per command and size in the scaling series
#   STEPS="history dir pr scale detectors"   which measurements to run
#   BENCH_DIR=.bench   work directory
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BENCH_DIR=${BENCH_DIR:-$ROOT/.bench}
MAIN=${MAIN:-small}
SIZES=${SIZES:-small medium large}
RUNS=${RUNS:-5}
SCALE_RUNS=${SCALE_RUNS:-1}
STEPS=${STEPS:-history dir pr scale detectors}
BIN=$BENCH_DIR/bin
OUT=$BENCH_DIR/out
mkdir -p "$BIN" "$OUT"
RESULTS=$BENCH_DIR/results.txt

say() { printf '%s\n' "$*" | tee -a "$RESULTS"; }
step() { [[ " $STEPS " == *" $1 "* ]]; }

needs() {
	command -v git >/dev/null || { echo "run.sh: git is required" >&2; exit 2; }
	command -v go >/dev/null || { echo "run.sh: go is required" >&2; exit 2; }
	if [[ ! -x /usr/bin/time ]]; then
		echo "installing GNU time (for wall time and peak RSS)..."
		if [[ $(id -u) == 0 ]]; then apt-get install -y -q time >/dev/null; else sudo apt-get install -y -q time >/dev/null; fi
	fi
}

build() {
	echo "building aiguard (-tags gore2regex)..."
	go build -tags gore2regex -o "$BIN/aiguard" ./cmd/aiguard
	# The pre-commit framework builds the hook without build tags.
	go build -o "$BIN/aiguard-stdre" ./cmd/aiguard
	go build -o "$BIN/genhistory" ./bench/genhistory
	if [[ ! -x $BIN/gitleaks ]]; then
		echo "building gitleaks v8.30.1 (-tags gore2regex)..."
		GOBIN=$BIN GOFLAGS=-mod=mod go install -tags gore2regex github.com/zricethezav/gitleaks/v8@v8.30.1
	fi
	if [[ ! -x $BIN/betterleaks ]]; then
		# `go install` of Betterleaks is refused (its go.mod has replace
		# directives), so build it from a scratch module.
		echo "building betterleaks v1.2.0 (-tags gore2regex)..."
		local mod=$BENCH_DIR/betterleaks-mod
		mkdir -p "$mod"
		(cd "$mod" && { [[ -f go.mod ]] || go mod init x >/dev/null 2>&1; } &&
			go get github.com/betterleaks/betterleaks@v1.2.0 >/dev/null 2>&1 &&
			go build -tags gore2regex -o "$BIN/betterleaks" github.com/betterleaks/betterleaks)
	fi
}

# repo SIZE prints the path of the generated history of that size, building
# it on first use.
repo() {
	local r=$BENCH_DIR/repo-$1
	if [[ ! -d $r ]]; then
		"$BIN/genhistory" -out "$r" -size "$1" >&2
	fi
	echo "$r"
}

# measure LABEL CMD... runs CMD once under GNU time and appends
# "LABEL wall_s cpu_s maxrss_kb" to $OUT/samples. Output goes to files (a
# terminal would turn on aiguard's progress bar). aiguard exits 1 when it
# finds something, gitleaks is told to exit 0: anything else is a failure.
measure() {
	local label=$1
	shift
	local tf=$OUT/time.txt
	local rc=0
	/usr/bin/time -o "$tf" -f '%e %U %S %M' "$@" >"$OUT/stdout" 2>"$OUT/stderr" </dev/null || rc=$?
	if ((rc > 1)); then
		echo "run.sh: $label failed (exit $rc): $*" >&2
		tail -5 "$OUT/stderr" >&2
		exit 3
	fi
	tail -1 "$tf" | awk -v l="$label" '{printf "%s %.2f %.2f %d\n", l, $1, $2+$3, $4}' >>"$OUT/samples"
}

# median LABEL FIELD prints the median of a column of LABEL's samples
# (2 wall seconds, 3 CPU seconds, 4 peak RSS KB).
median() {
	awk -v l="$1" -v f="$2" '$1==l {print $f}' "$OUT/samples" | sort -g |
		awk '{v[NR]=$1} END {if (NR==0) {print "nan"; exit}; if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}

row() {
	printf '  %-34s %8.2f s %8.2f s CPU %8.1f MB RSS\n' "$1" "$(median "$1" 2)" "$(median "$1" 3)" "$(awk -v k="$(median "$1" 4)" 'BEGIN{print k/1024}')" | tee -a "$RESULTS"
}

ratio() { awk -v a="$(median "$1" "$3")" -v b="$(median "$2" "$3")" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "nan" }'; }

ratios() { # ratios A B: wall, CPU and memory of A over B
	printf '  %-34s wall %5s  CPU %5s  peak memory %5s\n' "$1 / $2" "$(ratio "$1" "$2" 2)" "$(ratio "$1" "$2" 3)" "$(ratio "$1" "$2" 4)" | tee -a "$RESULTS"
}

history_step() {
	local r
	r=$(repo "$MAIN")
	local mb
	mb=$(git -C "$r" log -p -U0 --all | wc -c | awk '{printf "%.0f", $1/1048576}')
	say ""
	say "== (a) full-history scan, $MAIN history: $(git -C "$r" rev-list --all | wc -l) commits, $mb MB of git log -p -U0; medians of $RUNS runs, commands alternated"
	for _ in $(seq "$RUNS"); do
		measure floor sh -c "git -C '$r' log -p -U0 --all >/dev/null"
		measure gitleaks "$BIN/gitleaks" git "$r" --report-path "$OUT/gitleaks.json" --no-banner --log-level error --exit-code 0
		measure betterleaks "$BIN/betterleaks" git "$r" --report-path "$OUT/betterleaks.json" --no-banner --log-level error --exit-code 0
		measure aiguard "$BIN/aiguard" scan --repo "$r" --format json
	done
	for l in floor gitleaks betterleaks aiguard; do row $l; done
	ratios aiguard gitleaks
	ratios aiguard betterleaks
	ratios aiguard floor
	ratios gitleaks floor
}

dir_step() {
	local r tree
	r=$(repo "$MAIN")
	tree=$BENCH_DIR/tree-$MAIN
	if [[ ! -d $tree ]]; then
		mkdir -p "$tree"
		git -C "$r" archive main | tar -x -C "$tree"
	fi
	say ""
	say "== (b) directory scan of the $MAIN history's tree: $(du -sm "$tree" | cut -f1) MB, $(find "$tree" -type f | wc -l) files; medians of $RUNS runs"
	for _ in $(seq "$RUNS"); do
		measure gitleaks-dir "$BIN/gitleaks" dir "$tree" --report-path "$OUT/gitleaks-dir.json" --no-banner --log-level error --exit-code 0
		measure betterleaks-dir "$BIN/betterleaks" dir "$tree" --report-path "$OUT/betterleaks-dir.json" --no-banner --log-level error --exit-code 0
		measure aiguard-dir "$BIN/aiguard" scan --dir "$tree" --format json
	done
	for l in gitleaks-dir betterleaks-dir aiguard-dir; do row $l; done
	ratios aiguard-dir gitleaks-dir
	ratios aiguard-dir betterleaks-dir
}

pr_step() {
	local r staged
	r=$(repo small)
	staged=$BENCH_DIR/staged
	if [[ ! -d $staged ]]; then
		# The pull request's changes, staged on top of main.
		git clone -q --no-checkout "$r" "$staged"
		git -C "$staged" checkout -q -B pr origin/pr
		git -C "$staged" reset -q --soft origin/main
	fi
	# Start-up: every detector built, nothing to scan.
	local empty=$BENCH_DIR/empty
	mkdir -p "$empty"
	say ""
	say "== (c) pull-request scan (main..pr: $(git -C "$r" diff --shortstat main pr)) and staged scan; medians of $RUNS runs, target < 1 s wall"
	for _ in $(seq "$RUNS"); do
		measure aiguard-pr "$BIN/aiguard" scan --repo "$r" --range main..pr --format json
		measure gitleaks-pr "$BIN/gitleaks" git "$r" --log-opts main..pr --report-path "$OUT/gitleaks-pr.json" --no-banner --log-level error --exit-code 0
		measure aiguard-staged "$BIN/aiguard" scan --repo "$staged" --staged --format json
		measure gitleaks-staged "$BIN/gitleaks" git "$staged" --staged --report-path "$OUT/gitleaks-staged.json" --no-banner --log-level error --exit-code 0
		measure aiguard-startup "$BIN/aiguard" scan --dir "$empty" --format json
		measure aiguard-staged-stdre "$BIN/aiguard-stdre" scan --repo "$staged" --staged --format json
	done
	for l in aiguard-pr gitleaks-pr aiguard-staged gitleaks-staged aiguard-startup aiguard-staged-stdre; do row $l; done
	for l in aiguard-pr aiguard-staged aiguard-staged-stdre; do
		awk -v l=$l -v w="$(median $l 2)" 'BEGIN{printf "  %-34s %s\n", l, (w < 1 ? "under 1 s: ok" : "OVER 1 s")}' | tee -a "$RESULTS"
	done
}

scale_step() {
	say ""
	say "== (d) scaling: full-history scans over $SIZES; medians of $SCALE_RUNS runs"
	local s r mb
	for s in $SIZES; do
		r=$(repo "$s")
		mb=$(git -C "$r" log -p -U0 --all | wc -c | awk '{printf "%.1f", $1/1048576}')
		for _ in $(seq "$SCALE_RUNS"); do
			measure "gitleaks-$s" "$BIN/gitleaks" git "$r" --report-path "$OUT/gitleaks.json" --no-banner --log-level error --exit-code 0
			measure "aiguard-$s" "$BIN/aiguard" scan --repo "$r" --format json
		done
		for t in gitleaks aiguard; do
			awk -v l="$t-$s" -v mb="$mb" -v w="$(median "$t-$s" 2)" -v c="$(median "$t-$s" 3)" -v m="$(median "$t-$s" 4)" \
				'BEGIN{printf "  %-18s %7.1f MB  %7.2f s  %6.2f s/100MB wall  %6.2f s/100MB CPU  %7.1f MB RSS\n", l, mb, w, 100*w/mb, 100*c/mb, m/1024}' | tee -a "$RESULTS"
		done
	done
}

detectors_step() {
	say ""
	say "== per-detector throughput on one core (go test -bench Detectors ./scan/, $(go env GOROOT)/src sample)"
	go test -tags gore2regex -run '^$' -bench 'Detectors' -benchtime 3x ./scan/ | awk '/MB\/s/ {sub(/^BenchmarkDetectors\//, "", $1); printf "  %-24s %10s MB/s\n", $1, $(NF-1)}' | tee -a "$RESULTS"
	go test -tags gore2regex -run '^$' -bench 'History|Dir' -benchtime 3x ./detect/source/ | awk '/MB\/s/ {printf "  %-24s %10s MB/s\n", $1, $(NF-1)}' | tee -a "$RESULTS"
}

needs
build
: >"$OUT/samples"
{
	echo ""
	echo "aiguard performance run, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "gitleaks v8.30.1, betterleaks v1.2.0 (both -tags gore2regex), $(go version)"
} | tee -a "$RESULTS"
for s in history dir pr scale detectors; do
	if step $s; then ${s}_step; fi
done
echo "results appended to $RESULTS"
