# rmux.bash - bash completion for rmux: command names and aliases, their
# flags, -t targets asked of the running server (the one named by -L or -S
# on the same line), option names, key tables, layouts, and host names
# from ssh's config and known_hosts for `rmux attach`.
# The command and option lists are the server's own: the test
# tests/e2e/test_completions.py fails when they drift from
# `rmux list-commands` and `rmux show-options`.

# name, alias (- for none), flags without a value, flags with a value as
# flag:kind (kinds: session window pane client dir table buffer file host
# predict word).
_rmux_commands=(
	'attach-session attach dEr t:session,--ssh:word,--port:word,--server-cmd:file,--server-addr:host,--predict:predict'
	'connect - - -'
	'bind-key bind nr T:table,N:word'
	'bootstrap - - t:session,--port:word'
	'break-pane breakp abdP F:word,n:word,s:pane,t:window'
	'capture-pane capturep aCeJNpPq b:buffer,E:word,S:word,t:pane'
	'command-prompt - 1bFkiN I:word,p:word,t:client,T:word'
	'confirm-before confirm b p:word,t:client'
	'copy-mode - eHMuq s:pane,t:pane'
	'delete-buffer deleteb - b:buffer'
	'detach-client detach aP E:word,s:session,t:client'
	'display-message display aINpv c:client,d:word,F:word,t:pane'
	'display-panes displayp bN d:word,t:client'
	'has-session has - t:session'
	'if-shell if bF t:pane'
	'join-pane joinp bdfhv l:word,s:pane,t:pane'
	'kill-pane killp a t:pane'
	'kill-server - - -'
	'kill-session - aC t:session'
	'kill-window killw a t:window'
	'last-pane lastp deZ t:window'
	'last-window last - t:session'
	'list-buffers lsb - F:word,f:word'
	'list-clients lsc - F:word,t:session'
	'list-commands lscm - F:word'
	'list-keys lsk 1aN P:word,T:table'
	'list-panes lsp as F:word,f:word,t:window'
	'list-sessions ls - F:word,f:word'
	'list-windows lsw a F:word,f:word,t:session'
	'load-buffer loadb - b:buffer,t:client'
	'move-pane movep bdfhv l:word,s:pane,t:pane'
	'new-session new AdDEPX c:dir,e:word,F:word,f:word,n:word,s:word,t:session,x:word,y:word'
	'new-window neww abdkPS c:dir,e:word,F:word,n:word,t:window'
	'next-layout nextl - t:window'
	'next-window next a t:session'
	'paste-buffer pasteb dpr s:word,b:buffer,t:pane'
	'previous-layout prevl - t:window'
	'previous-window prev a t:session'
	'refresh-client refresh cDlLRSU C:word,f:word,t:client'
	'rename-session rename - t:session'
	'rename-window renamew - t:window'
	'resize-pane resizep DLMRTUZ x:word,y:word,t:pane'
	'resize-window resizew aADLRU x:word,y:word,t:window'
	'respawn-pane respawnp k c:dir,e:word,t:pane'
	'rotate-window rotatew DUZ t:window'
	'run-shell run bC d:word,t:pane'
	'save-buffer saveb a b:buffer'
	'select-layout selectl Enop t:pane'
	'select-pane selectp DdeLlMmRUZ T:word,t:pane'
	'select-window selectw lnpT t:window'
	'send-keys send FHlMRX N:word,t:pane'
	'send-prefix - 2 t:pane'
	'set-buffer setb aw b:buffer,n:word,t:client'
	'set-environment setenv Fhgru t:session'
	'set-option set aFgopqsuUw t:pane'
	'set-window-option setw aFgoqu t:window'
	'show-buffer showb - b:buffer'
	'show-environment showenv hgs t:session'
	'show-options show AgHpqsvw t:pane'
	'show-window-options showw gv t:window'
	'source-file source Fnqv -'
	'split-window splitw bdefhIPvZ c:dir,e:word,F:word,l:word,t:pane'
	'start-server start - -'
	'suspend-client suspendc - t:client'
	'swap-pane swapp dDUZ s:pane,t:pane'
	'switch-client switchc ElnprZ c:client,t:session,T:table'
	'unbind-key unbind anq T:table'
	'wait-for wait LSU -'
)
_rmux_options='
	activity-action aggressive-resize allow-passthrough allow-rename
	alternate-screen automatic-rename base-index bell-action buffer-limit
	client-history-limit clock-mode-colour clock-mode-style
	connection-timeout copy-command default-command default-shell
	default-size default-terminal destroy-unattached detach-on-destroy
	display-panes-active-colour display-panes-colour display-panes-time
	display-time editor escape-time exit-empty exit-unattached focus-events
	history-file history-limit history-native lock-after-time
	main-pane-height main-pane-width message-limit message-style mode-keys
	mode-style monitor-activity monitor-bell monitor-silence mouse
	other-pane-height other-pane-width pane-active-border-style
	pane-base-index pane-border-status pane-border-style predict prefix
	prefix2 remain-on-exit renumber-windows repeat-time set-clipboard
	set-titles set-titles-string silence-action status status-bg status-fg
	status-interval status-justify status-keys status-left
	status-left-length status-left-style status-position status-right
	status-right-length status-right-style status-style synchronize-panes
	update-environment
	visual-activity visual-bell visual-silence window-size
	window-status-activity-style window-status-bell-style
	window-status-current-format window-status-current-style
	window-status-format window-status-last-style window-status-separator
	window-status-style word-separators wrap-search'
_rmux_tables='root prefix copy-mode copy-mode-vi'
_rmux_layouts='even-horizontal even-vertical main-horizontal main-vertical tiled'

# Ask the server of this command line; nothing when none is running.
_rmux_ask()
{
	"${_rmux_server[@]}" "$@" 2>/dev/null
}

# Host names from ssh's configuration (Host lines without patterns) and
# known hosts (unhashed entries; [host]:port becomes host).
_rmux_hosts()
{
	local f
	for f in "$HOME/.ssh/config" /etc/ssh/ssh_config; do
		[[ -r $f ]] && awk 'tolower($1) == "host" {
			for (i = 2; i <= NF; i++) if ($i !~ /[*?!]/) print $i }' "$f"
	done
	for f in "$HOME/.ssh/known_hosts" /etc/ssh/ssh_known_hosts; do
		[[ -r $f ]] && awk '$1 !~ /^[|#@]/ && NF >= 2 {
			n = split($1, h, ",")
			for (i = 1; i <= n; i++) {
				x = h[i]
				if (x ~ /^\[/) { sub(/^\[/, "", x); sub(/\].*$/, "", x) }
				print x
			} }' "$f"
	done
}

# Print the candidates of one kind for the word CUR.
_rmux_kind()
{
	local kind=$1 cur=$2 user=
	case $kind in
	session) _rmux_ask list-sessions -F '#{session_name}' ;;
	window)
		_rmux_ask list-windows -a -F '#{session_name}:#{window_index}'
		_rmux_ask list-windows -a -F '#{session_name}:#{window_name}' ;;
	pane)
		_rmux_ask list-panes -a -F '#{session_name}:#{window_index}.#{pane_index}'
		_rmux_ask list-panes -a -F '#{pane_id}' ;;
	client) _rmux_ask list-clients -F '#{client_name}' ;;
	buffer) _rmux_ask list-buffers -F '#{buffer_name}' ;;
	table) printf '%s\n' $_rmux_tables ;;
	option) printf '%s\n' $_rmux_options ;;
	layout) printf '%s\n' $_rmux_layouts ;;
	predict) printf '%s\n' adaptive always never ;;
	command)
		local c
		for c in "${_rmux_commands[@]}"; do
			c=(${c})
			echo "${c[0]}"
			[[ ${c[1]} != - ]] && echo "${c[1]}"
		done ;;
	host)
		if [[ $cur == *@* ]]; then
			user=${cur%%@*}@
		fi
		_rmux_hosts | sort -u | sed "s/^/$user/" ;;
	dir) compgen -d -- "$cur" ;;
	file) compgen -f -- "$cur" ;;
	esac
}

_rmux()
{
	local line=${COMP_LINE:0:COMP_POINT} cur words i w spec= kind= npos=0
	local name alias bools args c j

	read -ra words <<<"$line"
	if [[ -z $line || $line == *[[:space:]] ]]; then
		cur=
	else
		cur=${words[${#words[@]} - 1]}
		unset 'words[${#words[@]}-1]'
	fi
	_rmux_server=("${words[0]:-rmux}")

	# Global flags before the command.
	i=1
	while ((i < ${#words[@]})); do
		w=${words[i]}
		case $w in
		-L | -S) _rmux_server+=("$w" "${words[i + 1]}"); i=$((i + 2)); continue ;;
		-f) kind=file; i=$((i + 2)); continue ;;
		-L?* | -S?*) _rmux_server+=("$w") ;;
		-*) ;;
		*) break ;;
		esac
		kind=
		i=$((i + 1))
	done
	if ((i > ${#words[@]})); then
		# The last word was -L, -S or -f: its value is being typed.
		w=${words[${#words[@]} - 1]}
		[[ $w == -f || $w == -S ]] && kind=file || kind=socket
	elif ((i == ${#words[@]})); then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '-2 -f -h -L -S -u -v -V' -- "$cur"))
			return
		fi
		kind=command
	else
		# The command: the last one on the line (\; separates commands).
		for ((j = i; j < ${#words[@]}; j++)); do
			[[ ${words[j]} == '\;' || ${words[j]} == ';' ]] && i=$((j + 1))
		done
		if ((i == ${#words[@]})); then
			kind=command
		else
			for c in "${_rmux_commands[@]}"; do
				c=(${c})
				if [[ ${c[0]} == "${words[i]}" || ${c[1]} == "${words[i]}" ]]; then
					spec=("${c[@]}")
					break
				fi
			done
			((${#spec[@]} == 0)) && return
			name=${spec[0]} bools=${spec[2]} args=,${spec[3]},
			# Walk the arguments: which flag wants a value, which positional.
			kind=
			for ((j = i + 1; j < ${#words[@]}; j++)); do
				w=${words[j]}
				if [[ -n $kind ]]; then
					kind=
				elif [[ $w == --?* && $args == *",$w:"* ]]; then
					kind=${args#*",$w:"}; kind=${kind%%,*}
				elif [[ $w == -?* && $w != --* && $npos == 0 ]]; then
					c=${w:${#w}-1}
					if [[ ${#w} == 2 && $args == *",$c:"* ]]; then
						kind=${args#*",$c:"}; kind=${kind%%,*}
					fi
				else
					npos=$((npos + 1))
				fi
			done
			if [[ -z $kind ]]; then
				if [[ $cur == -* && $npos == 0 ]]; then
					local flags=() f
					[[ $bools != - ]] && for ((j = 0; j < ${#bools}; j++)); do flags+=("-${bools:j:1}"); done
					IFS=, read -ra f <<<"${spec[3]}"
					for c in "${f[@]}"; do
						[[ $c == - ]] && continue
						c=${c%%:*}
						[[ $c == --* ]] && flags+=("$c") || flags+=("-$c")
					done
					COMPREPLY=($(compgen -W "${flags[*]}" -- "$cur"))
					return
				fi
				case $name:$npos in
				attach-session:0 | connect:0) kind=host ;;
				set-option:0 | set-window-option:0 | show-options:0 | show-window-options:0) kind=option ;;
				list-commands:0) kind=command ;;
				select-layout:0) kind=layout ;;
				source-file:* | load-buffer:0 | save-buffer:0) kind=file ;;
				*) return ;;
				esac
			fi
		fi
	fi
	case $kind in
	socket)
		local dir=${RMUX_TMPDIR:-/tmp}/rmux-$(id -u)
		COMPREPLY=($(compgen -W "$(cd "$dir" 2>/dev/null && for c in *; do [[ -S $c ]] && echo "$c"; done)" -- "$cur"))
		return ;;
	dir | file)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(_rmux_kind "$kind" "$cur"))
		return ;;
	word | '') return ;;
	esac
	COMPREPLY=($(compgen -W "$(_rmux_kind "$kind" "$cur")" -- "$cur"))
	# readline replaces only what follows the last word-break colon.
	if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
		local colon=${cur%"${cur##*:}"}
		for ((j = 0; j < ${#COMPREPLY[@]}; j++)); do
			COMPREPLY[j]=${COMPREPLY[j]#"$colon"}
		done
	fi
}
complete -F _rmux rmux
