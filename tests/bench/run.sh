#!/usr/bin/env bash
# run.sh BUILD-DIR — the emulator benchmarks (term_bench) and, in the same
# run, tmux holding the same history payloads, then the rmux/tmux ratios.
# tmux's memory is the RSS growth of its server while a pane with
# history-limit 100000 takes 100k lines (`cat` of the payload), read from
# /proc/PID/status before and after. Figures, not a test: exit status is 0
# unless something could not be measured.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build-bench}" && pwd)
export LANG=C.UTF-8 LC_ALL=C.UTF-8
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rmux-bench.XXXXXX")
kinds=(plain colour cjk)
cleanup() {
	local k
	for k in "${kinds[@]}"; do
		tmux -L "rmux-bench-$$-$k" kill-server 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

bench=$build/tests/bench/term_bench
if [ ! -x "$bench" ]; then
	# tests/bench not hooked into meson yet: build it from the libraries.
	bench=$build/term_bench
	cc -std=c11 -O2 -D_GNU_SOURCE -I"$top/include" "$top/tests/bench/term_bench.c" \
		"$build/src/term/librmux-term.a" "$build/src/common/librmux-common.a" \
		$(pkg-config --libs libutf8proc libcrypto) -o "$bench"
fi

echo "== rmux emulator (term_bench, $(basename "$build"))"
"$bench" | tee "$tmp/rmux.txt" | grep -v '^@'
value() { # KEY: a figure term_bench printed
	awk -v k="@$1" '$1 == k {print $2}' "$tmp/rmux.txt"
}

rss_kb() {
	awk '/^VmRSS:/ {print $2}' "/proc/$1/status"
}

# tmux_history KIND: prints "RSS-bytes-per-line lines" for tmux holding the payload.
tmux_history() {
	local kind=$1 sock=rmux-bench-$$-$1
	local file=$tmp/$kind.txt conf=$tmp/tmux.conf
	"$bench" payload "$kind" "$file"
	printf 'set -g history-limit 100000\nset -g status off\n' >"$conf"
	tmux -u -L "$sock" -f "$conf" new-session -d -x 80 -y 24 'exec sleep 100000'
	local pid
	pid=$(tmux -L "$sock" display-message -p '#{pid}')
	sleep 0.5
	local rss0
	rss0=$(rss_kb "$pid")
	local pane
	pane=$(tmux -L "$sock" new-window -d -P -F '#{pane_id}' "cat '$file'; exec sleep 100000")
	# Done when cat has exited and the history has stopped growing.
	local last=-1 same=0 h cmd tries=0
	while [ "$same" -lt 5 ] && [ "$tries" -lt 1200 ]; do
		sleep 0.2
		tries=$((tries + 1))
		h=$(tmux -L "$sock" display-message -p -t "$pane" '#{history_size}')
		cmd=$(tmux -L "$sock" display-message -p -t "$pane" '#{pane_current_command}')
		if [ "$cmd" = sleep ] && [ "$h" = "$last" ]; then
			same=$((same + 1))
		else
			same=0
		fi
		last=$h
	done
	local rss1
	rss1=$(rss_kb "$pid")
	tmux -L "$sock" kill-server 2>/dev/null || true
	rm -f "$file"
	awk -v a="$rss0" -v b="$rss1" -v n="$h" 'BEGIN {printf "%.1f %d\n", n ? (b - a) * 1024 / n : 0, n}'
}

echo
echo "== tmux $(tmux -V | cut -d' ' -f2): the same history payloads"
declare -A tmux_line
for kind in "${kinds[@]}"; do
	read -r per lines < <(tmux_history "$kind")
	tmux_line[$kind]=$per
	printf 'history %-8s %6s lines  %7.1f B/line (RSS)\n' "$kind" "$lines" "$per"
done

echo
echo "== rmux / tmux (history memory per line; lower is better)"
for kind in "${kinds[@]}"; do
	rss=$(value "history_rss_$kind")
	hb=$(value "history_bytes_$kind")
	awk -v k="$kind" -v rss="$rss" -v hb="$hb" -v t="${tmux_line[$kind]}" 'BEGIN {
		# The larger of the two rmux figures, to be conservative.
		r = t > 0 ? (rss > hb ? rss : hb) / t : 0
		if (k == "plain") {
			target = "plain <= 100 B/line"
			ok = (rss <= 100 && hb <= 100)
		} else {
			target = "<= 0.25 of tmux"
			ok = (r <= 0.25 && t > 0)
		}
		printf "%-7s rmux %6.1f B/line RSS, %6.1f history_bytes  tmux %7.1f  ratio %5.3f  target %s  %s\n",
			k, rss, hb, t, r, target, ok ? "ok" : "MISSED"
	}'
done
