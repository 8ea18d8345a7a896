#!/bin/bash
# record.sh — regenerates the recorded output streams of real programs that
# the differential test (tests/vt/streams) replays into rmux and tmux.
#
# Each stream is what one program wrote to its terminal, byte for byte,
# taken with `pipe-pane -o` from a fresh 80x24 tmux pane (its own -L socket,
# -f /dev/null, TERM=tmux-256color, LANG=C.UTF-8) whose program is held
# back until the pipe is open, so a stream starts from a blank screen.
# Programs are driven with send-keys. The test uses the committed files, so
# re-running this only matters when streams are added or changed.
#
#   tests/vt/record.sh [NAME...]    (default: every stream)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=$here/streams
repo=$(cd "$here/../.." && pwd)
sock=rmuxrec$$
T=(tmux -L "$sock" -f /dev/null)
work=$(mktemp -d /tmp/rmuxrec.XXXXXX)
home=$work/home
cur=
gen=0

cleanup() {
	"${T[@]}" kill-server 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$home"
# Fixed inputs so re-recording gives comparable streams.
cp "$repo/src/common/buf.c" "$home/buf.c"
python3 - "$home" <<'EOF'
import sys, os
home = sys.argv[1]
with open(os.path.join(home, "long.txt"), "w") as f:
    for i in range(1, 401):
        f.write("line %04d: %s\n" % (i, " ".join("word%d" % (i * j % 97) for j in range(1 + i % 17))))
with open(os.path.join(home, "wide.txt"), "w") as f:
    for i in range(60):
        f.write("%02d 日本語のテキスト 中文字符 한국어 %s end\n" % (i, "漢字" * (i % 9)))
with open(os.path.join(home, "mixed.txt"), "w") as f:
    for i in range(80):
        f.write("%03d café naïve e\u0301 n\u0303 \U0001F600 \u2764\ufe0f %s\n" % (i, "x" * (i % 70)))
EOF

# settle [MAX]: wait until the stream stops growing for 0.4 s (at most MAX s).
settle() {
	local max=${1:-10} n=0 last=-1 size stable=0
	while [ "$n" -lt $((max * 10)) ]; do
		size=$(stat -c %s "$cur" 2>/dev/null || echo 0)
		if [ "$size" = "$last" ]; then
			stable=$((stable + 1))
			[ "$stable" -ge 4 ] && return 0
		else
			stable=0
			last=$size
		fi
		sleep 0.1
		n=$((n + 1))
	done
}

# start NAME COMMAND: a fresh server and pane running COMMAND (by bash)
# once the pipe to NAME.vt is open.
start() {
	gen=$((gen + 1))
	cur=$out/$1.vt
	: >"$cur"
	local script=$work/cmd$gen.sh
	{
		echo "tmux -L $sock wait-for go$gen"
		echo "cd '$home'"
		printf 'exec env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=%q TERM=tmux-256color ' "$home"
		printf "LANG=C.UTF-8 LC_ALL=C.UTF-8 PS1='\\$ ' HISTFILE=/dev/null COLORTERM=truecolor "
		printf 'bash --norc --noprofile -c %q\n' "$2"
	} >"$script"
	"${T[@]}" start-server \; set -g default-terminal tmux-256color \
		\; set -g history-limit 100000 \; set -g status off \
		\; new-session -d -s rec -x 80 -y 24 -c "$home" "bash $script"
	"${T[@]}" pipe-pane -o -t rec "cat >> '$cur'"
	"${T[@]}" wait-for -S "go$gen"
	settle 5
}

# k KEY...: send-keys (key names); l TEXT: send-keys -l (literal text).
k() {
	"${T[@]}" send-keys -t rec "$@"
	settle
}
l() {
	"${T[@]}" send-keys -t rec -l "$1"
	settle
}
# Type TEXT one key at a time, as a person would (readline redraws).
typed() {
	local s=$1 i c
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		# A lone ";" would end the tmux command.
		[ "$c" = ";" ] && c='\;'
		"${T[@]}" send-keys -t rec -l "$c"
	done
	settle
}

stop() {
	settle 3
	"${T[@]}" pipe-pane -t rec 2>/dev/null || true
	"${T[@]}" kill-server 2>/dev/null || true
	sleep 0.2
	printf '%-28s %8d bytes\n' "$(basename "$cur")" "$(stat -c %s "$cur")"
}

bash_i="PS1='\\$ ' bash --norc --noprofile -i"

rec_vim_edit() {
	start vim-edit "vim -N -i NONE -u NONE -c 'syntax on' -c 'set number ruler showcmd' buf.c"
	k 20G
	k o
	typed '	/* a line typed in insert mode, long enough to wrap on the screen at eighty */'
	k Escape
	k dd
	k u
	k 5j
	k C-r
	k x x x
	k A
	typed ' // tail'
	k Escape
	k : q ! Enter
	stop
}

rec_vim_scroll() {
	start vim-scroll "vim -N -i NONE -u NONE -c 'syntax on' -c 'set hlsearch incsearch' long.txt"
	k C-f
	k C-f
	k C-d
	k C-u
	k C-e C-e C-e
	k C-y
	k G
	k gg
	k / w o r d 4 2 Enter
	k n
	k n
	k 120G
	k zt
	k zb
	k : q Enter
	stop
}

rec_vim_split() {
	start vim-split "vim -N -i NONE -u NONE -c 'syntax on' buf.c"
	k : s p l i t Space l o n g . t x t Enter
	k 30j
	k C-w j
	k 10j
	k : v s p l i t Enter
	k C-w l
	k G
	k C-w +
	k C-w +
	k C-w =
	k : o n l y Enter
	k : q a ! Enter
	stop
}

rec_vim_wide() {
	start vim-wide "vim -N -i NONE -u NONE -c 'set number' wide.txt"
	k C-d
	k 5G
	k A
	typed ' 追加した文字列'
	k Escape
	k 0 w w x
	k : s e t Space n o w r a p Enter
	k 40l
	k : q ! Enter
	stop
}

rec_less_file() {
	start less-file "less long.txt"
	k Space
	k Space
	k b
	k j j j
	k k
	k / w o r d 5 5 Enter
	k n
	k G
	k g
	k q
	stop
}

rec_less_chop() {
	start less-chop "less -S -R mixed.txt"
	k Space
	k Right
	k Right
	k Left
	k d
	k u
	k q
	stop
}

rec_man_ls() {
	start man-ls "MANWIDTH=80 man ls"
	k Space
	k Space
	k b
	k / s o r t Enter
	k n
	k q
	stop
}

rec_man_bash() {
	start man-bash "MANWIDTH=80 man bash"
	k / R E A D L I N E Enter
	k Space
	k d
	k d
	k u
	k G
	k q
	stop
}

rec_top() {
	start top "top -d 0.5"
	sleep 1.6
	k M
	sleep 1.1
	k 1
	sleep 1.1
	k q
	stop
}

rec_htop() {
	start htop "htop -d 5"
	sleep 1.2
	k F6
	k Escape
	k t
	sleep 0.7
	k q
	stop
}

rec_readline_long() {
	start readline-long "$bash_i"
	typed 'echo this is a long command line that goes past the right edge of the eighty column screen and wraps onto the next row'
	k C-a
	k M-f M-f M-f
	k C-k
	k C-y
	k C-e
	k M-b M-b
	k C-w
	k BSpace BSpace
	k C-u
	typed 'echo again and again and again and again and again and again and again and again and again'
	k Enter
	k Up
	k C-a
	typed '# '
	k Enter
	k C-d
	stop
}

rec_readline_complete() {
	start readline-complete "$bash_i"
	typed 'ls /usr/'
	k Tab Tab
	typed 'sh'
	k Tab
	typed 'are/doc/ba'
	k Tab Tab
	k C-u
	typed 'echo ~/'
	k Tab Tab
	k C-c
	k C-d
	stop
}

rec_python_repl() {
	start python-repl "python3 -q"
	typed 'import sys, math'
	k Enter
	typed '[math.factorial(i) for i in range(25)]'
	k Enter
	typed 'for i in range(3):'
	k Enter
	typed '    print(i, "x" * 100)'
	k Enter Enter
	typed '1/0'
	k Enter
	typed 'print("\033[1;31mred bold\033[0m", "é", "日本")'
	k Enter
	typed 'long_name = 42'
	k Enter
	typed 'lon'
	k Tab
	k Enter
	k C-d
	stop
}

rec_ls_color() {
	start ls-color "$bash_i"
	typed 'ls --color=always -F /usr/bin | head -60; ls --color=always -l /dev | head -40'
	k Enter
	typed 'ls --color=always -la /etc | head -50; ls --color /usr/lib'
	k Enter
	k C-d
	stop
}

rec_grep_color() {
	start grep-color "$bash_i"
	typed 'grep --color=always -n -i "buf" buf.c; grep --color=always -r -n "word7" long.txt | head -40'
	k Enter
	k C-d
	stop
}

rec_diff_color() {
	start diff-color "$bash_i"
	typed 'sed "s/word1/WORD1/; 30,40d" long.txt > other.txt; diff --color=always -u long.txt other.txt | head -120'
	k Enter
	k C-d
	stop
}

rec_git_log() {
	start git-log "$bash_i"
	typed "git -C $repo --no-pager log --graph --color=always --stat -n 6 --format='%C(yellow)%h%Creset %C(bold)%s%Creset %C(green)(%an)%Creset' | head -120"
	k Enter
	k C-d
	stop
}

rec_cjk() {
	start cjk "$bash_i"
	typed 'cat wide.txt; printf "%s\n" "$(printf "あ%.0s" $(seq 50))" "x$(printf "漢%.0s" $(seq 45))" "ab$(printf "字%.0s" $(seq 39))c"'
	k Enter
	typed 'printf "\033[5;70Hアイウエオカキ\033[12;79H漢字\033[20;1H"'
	k Enter
	k C-d
	stop
}

rec_emoji() {
	start emoji "$bash_i"
	typed "printf '%s\n' '😀 grin 🎉 party 👍 thumbs' '👍🏽 toned 🇫🇷 flag 🇯🇵' '❤️ heart ☺️ smile ✔️ check' '⌚ watch ☕ coffee 🚀 rocket' 'end'"
	k Enter
	typed "printf '%s' \$(seq -f 'x%g🙂' 1 30); echo"
	k Enter
	k C-d
	stop
}

rec_emoji_zwj() {
	start emoji-zwj "$bash_i"
	typed "printf '%s\n' '👨‍👩‍👧 family' '🏳️‍🌈 flag' 'x👩‍💻y'"
	k Enter
	typed "printf '👨‍👩‍👧%.0s' \$(seq 16); printf 'x👩‍💻y\033[12G|\n'"
	k Enter
	k C-d
	stop
}

rec_combining() {
	start combining "$bash_i"
	typed "cat mixed.txt | head -30; printf 'e\\xcc\\x81 a\\xcc\\x88\\xcc\\x81 o\\xcc\\xa3\\xcc\\x82 \\xe1\\x84\\x92\\xe1\\x85\\xa1\\xe1\\x86\\xab \\xe0\\xa4\\xa8\\xe0\\xa4\\xbf \\xd7\\xa9\\xd7\\x81\\xd7\\x82\\n'"
	k Enter
	typed "printf 'Z\\xcc\\xb7\\xcc\\x9b\\xcc\\x88\\xcc\\x81a\\xcc\\xb4\\xcc\\x8a\\xcc\\x8c\\xcc\\x8dl\\xcc\\xb5\\xcc\\x87g\\xcc\\xb6\\xcc\\x84o end\\n'"
	k Enter
	k C-d
	stop
}

rec_colors_256() {
	start colors-256 "$bash_i"
	typed 'for i in $(seq 0 255); do printf "\033[48;5;%dm%4d\033[0m" $i $i; [ $((i % 16)) = 15 ] && echo; done'
	k Enter
	typed 'for i in $(seq 0 255); do printf "\033[38;5;%dm%4d" $i $i; [ $((i % 16)) = 15 ] && echo; done; printf "\033[m"'
	k Enter
	typed 'for i in 30 31 32 33 34 35 36 37 90 91 92 93 94 95 96 97; do printf "\033[%d;%dm %3d \033[m" $i $((i+10)) $i; done; echo'
	k Enter
	k C-d
	stop
}

rec_colors_24bit() {
	start colors-24bit "$bash_i"
	typed 'for r in 0 64 128 192 255; do for g in $(seq 0 17 255); do printf "\033[48;2;%d;%d;128m \033[38;2;%d;%d;%dm#" $r $g $g $r 255; done; printf "\033[m\n"; done'
	k Enter
	typed 'printf "\033[38:2::255:100:0mcolon rgb\033[m \033[38:5:200mcolon idx\033[m \033[58;5;1m\033[4:3mcurly\033[m\n"'
	k Enter
	k C-d
	stop
}

rec_attrs() {
	start attrs "$bash_i"
	typed 'for a in 1 2 3 4 5 7 8 9 21 53 "4:2" "4:3" "4:4" "4:5" "1;3;4" "2;7"; do printf "\033[%sm attr %s \033[m|" "$a" "$a"; done; echo'
	k Enter
	typed 'printf "\033[1mbold\033[22m normal \033[3mit\033[23m \033[4mul\033[24m \033[7mrev\033[27m \033[9mst\033[29m \033[1;31;44mmix\033[39mfg\033[49mbg\033[m\n"'
	k Enter
	k C-d
	stop
}

rec_long_output() {
	start long-output "$bash_i"
	typed 'for i in $(seq 1 2500); do echo "[$(printf %6d.%06d $i $((i*7919 % 1000000)))] kernel: device$((i % 13)): event $i status ok"; done'
	k Enter
	k C-d
	stop
}

rec_clear() {
	start clear "$bash_i"
	typed 'seq 1 60; clear; echo after clear; seq 100 130; tput clear; echo after tput clear; printf "\033[2J\033[Hhome\n"; seq 200 240; printf "\033[3J"; echo after 3J'
	k Enter
	k C-l
	typed 'echo after C-l'
	k Enter
	k C-d
	stop
}

rec_tput() {
	start tput "$bash_i"
	typed 'tput cup 5 10; echo at-5-10; tput setaf 2; tput bold; echo green-bold; tput sgr0; tput smul; echo under; tput rmul; tput rev; echo rev; tput sgr0'
	k Enter
	typed 'tput cup 2 40; printf "XXXXXXXXXXXXXXX"; tput cup 2 45; tput el; tput cup 8 0; tput el1; tput cub 3; tput ich 2; echo ins'
	k Enter
	typed 'echo abcdefghij; tput cuu1; tput cuf 3; tput dch 2; tput cud1; tput il 2; tput dl 1; echo done'
	k Enter
	k C-d
	stop
}

rec_progress() {
	start progress "$bash_i"
	typed 'for i in $(seq 0 5 100); do n=$((i/2)); printf "\r[%-50s] %3d%%" "$(printf "#%.0s" $(seq 1 $n) | head -c $n)" $i; sleep 0.02; done; echo; for i in $(seq 1 40); do printf "\r%s" "$(printf "=%.0s" $(seq 1 $((i*2))))"; done; printf "\033[K\rdone\n"'
	k Enter
	sleep 1
	k C-d
	stop
}

rec_scroll_region() {
	start scroll-region "$bash_i"
	typed 'clear; seq 1 30; printf "\033[5;15r\033[15;1H"; for i in $(seq 1 12); do echo "region $i"; done; printf "\033[5;1H\033M\033M\033Mtop\033[r\033[24;1H"'
	k Enter
	typed 'printf "\033[3;10r\033[10;1H\n\n\033[2S\033[1T\033[r\033[22;1Hdone\n"'
	k Enter
	k C-d
	stop
}

rec_altscreen() {
	start altscreen "$bash_i"
	typed 'seq 1 5; tput smcup; seq 100 130; sleep 0.2; tput rmcup; echo back; printf "\033[?47h alt47 \033[?47l\033[?1047hx\033[?1047l\033[?1049h1049\033[?1049l"; echo end'
	k Enter
	k C-d
	stop
}

rec_tabs() {
	start tabs "$bash_i"
	typed 'printf "a\tb\tc\td\n\tx\t\ty\n"; printf "1234567890\033[3g\033[5G\033H\r\tT\n"; printf "\033[0g\033[3g"; printf "\tno-tabs\n\033c"; column -t /etc/passwd -s: | head -15'
	k Enter
	typed 'printf "%s\t" one two three four five six seven eight nine ten eleven; echo'
	k Enter
	k C-d
	stop
}

rec_charset() {
	start charset "$bash_i"
	typed 'printf "\033(0lqqqqk\nx    x\nmqqqqj\033(B ascii \033)0\016lqk\017 so-si\n"; pstree -G -p 1 | head -20; tput smacs; echo "abcdefghijklmnopqrstuvwxyz{|}~"; tput rmacs'
	k Enter
	k C-d
	stop
}

rec_watch() {
	start watch "watch -n 0.3 -t 'seq 1 5; echo; ls -l /usr | head'"
	sleep 1.2
	k C-c
	stop
}

rec_dialog() {
	start dialog "dialog --title Choice --menu 'Pick one of these entries' 15 50 5 a Alpha b Beta c Gamma d Delta e Epsilon f Zeta"
	k Down
	k Down
	k Enter
	stop
}

rec_whiptail() {
	start whiptail "whiptail --title 'Yes or no' --yesno 'A question in a box, with a long text that needs to wrap inside the dialog window here.' 12 50"
	k Tab
	k Enter
	stop
}

rec_nano() {
	start nano "nano -l long.txt"
	k C-v
	k C-v
	k Down Down Down
	typed 'typed into nano'
	k C-k
	k C-u
	k M-\\
	k C-w
	typed 'word44'
	k Enter
	k C-x
	k n
	stop
}

rec_mc() {
	start mc "mc -u -d ."
	sleep 1
	k Down Down
	k F3
	k q
	k Tab
	k F10
	sleep 0.5
	stop
}

rec_sqlite() {
	start sqlite "sqlite3 -box"
	typed 'create table t(a,b); insert into t values(1,"one"),(2,"日本"),(3,"x");'
	k Enter
	typed 'select * from t;'
	k Enter
	typed '.quit'
	k Enter
	stop
}

rec_tree() {
	start tree "$bash_i"
	typed "tree -C $repo/src $repo/include; echo '2^200' | bc"
	k Enter
	k C-d
	stop
}

rec_wrap_edge() {
	start wrap-edge "$bash_i"
	typed 'printf "%080d" 0; printf "%080d\n" 1; printf "%079dX\rY\n" 2; printf "%080d\033[1D\033[1CZ\n" 3; printf "%080d\033[K\n" 4; printf "%081d\n" 5; printf "%0160d" 6; printf "%080d\033[A\033[B\n" 7'
	k Enter
	k C-d
	stop
}

# vttest: a menu entry, then Return through its screens.
vttest_run() {
	local name=$1 entry=$2 screens=$3 i
	start "$name" "vttest"
	l "$entry"
	k Enter
	for ((i = 0; i < screens; i++)); do
		k Enter
	done
	l 0
	k Enter
	stop
}

rec_vttest_cursor() {
	vttest_run vttest-cursor 1 6
}

rec_vttest_screen() {
	vttest_run vttest-screen 2 15
}

rec_vttest_insdel() {
	vttest_run vttest-insdel 8 12
}

names=(vim_edit vim_scroll vim_split vim_wide less_file less_chop man_ls man_bash top htop
	readline_long readline_complete python_repl ls_color grep_color diff_color git_log cjk
	emoji emoji_zwj combining colors_256 colors_24bit attrs long_output clear tput progress
	scroll_region altscreen tabs charset watch dialog whiptail nano mc sqlite tree
	wrap_edge vttest_cursor vttest_screen vttest_insdel)
if [ $# -gt 0 ]; then
	names=("${@//-/_}")
fi
for n in "${names[@]}"; do
	"rec_$n"
done
