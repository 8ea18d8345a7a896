# rmux.fish - fish completion for rmux: command names and aliases, their
# flags, -t targets asked of the running server (the one named by -L or -S
# on the same line), option names, key tables, layouts, and host names
# from ssh's config and known_hosts for `rmux attach`.
# The command and option lists are the server's own: the test
# tests/e2e/test_completions.py fails when they drift from
# `rmux list-commands` and `rmux show-options`.

# name, alias (- for none), flags without a value, flags with a value as
# flag:kind (kinds: session window pane client dir table buffer file host
# predict word).
set -g __rmux_commands \
	'attach-session attach dEr t:session,--ssh:word,--port:word,--server-cmd:file,--server-addr:host,--predict:predict' \
	'connect - - -' \
	'bind-key bind nr T:table,N:word' \
	'bootstrap - - t:session,--port:word' \
	'break-pane breakp abdP F:word,n:word,s:pane,t:window' \
	'capture-pane capturep aCeJNpPq b:buffer,E:word,S:word,t:pane' \
	'command-prompt - 1bFkiN I:word,p:word,t:client,T:word' \
	'confirm-before confirm b p:word,t:client' \
	'copy-mode - eHMuq s:pane,t:pane' \
	'delete-buffer deleteb - b:buffer' \
	'detach-client detach aP E:word,s:session,t:client' \
	'display-message display aINpv c:client,d:word,F:word,t:pane' \
	'display-panes displayp bN d:word,t:client' \
	'has-session has - t:session' \
	'if-shell if bF t:pane' \
	'join-pane joinp bdfhv l:word,s:pane,t:pane' \
	'kill-pane killp a t:pane' \
	'kill-server - - -' \
	'kill-session - aC t:session' \
	'kill-window killw a t:window' \
	'last-pane lastp deZ t:window' \
	'last-window last - t:session' \
	'list-buffers lsb - F:word,f:word' \
	'list-clients lsc - F:word,t:session' \
	'list-commands lscm - F:word' \
	'list-keys lsk 1aN P:word,T:table' \
	'list-panes lsp as F:word,f:word,t:window' \
	'list-sessions ls - F:word,f:word' \
	'list-windows lsw a F:word,f:word,t:session' \
	'load-buffer loadb - b:buffer,t:client' \
	'move-pane movep bdfhv l:word,s:pane,t:pane' \
	'new-session new AdDEPX c:dir,e:word,F:word,f:word,n:word,s:word,t:session,x:word,y:word' \
	'new-window neww abdkPS c:dir,e:word,F:word,n:word,t:window' \
	'next-layout nextl - t:window' \
	'next-window next a t:session' \
	'paste-buffer pasteb dpr s:word,b:buffer,t:pane' \
	'previous-layout prevl - t:window' \
	'previous-window prev a t:session' \
	'refresh-client refresh cDlLRSU C:word,f:word,t:client' \
	'rename-session rename - t:session' \
	'rename-window renamew - t:window' \
	'resize-pane resizep DLMRTUZ x:word,y:word,t:pane' \
	'resize-window resizew aADLRU x:word,y:word,t:window' \
	'respawn-pane respawnp k c:dir,e:word,t:pane' \
	'rotate-window rotatew DUZ t:window' \
	'run-shell run bC d:word,t:pane' \
	'save-buffer saveb a b:buffer' \
	'select-layout selectl Enop t:pane' \
	'select-pane selectp DdeLlMmRUZ T:word,t:pane' \
	'select-window selectw lnpT t:window' \
	'send-keys send FHlMRX N:word,t:pane' \
	'send-prefix - 2 t:pane' \
	'set-buffer setb aw b:buffer,n:word,t:client' \
	'set-environment setenv Fhgru t:session' \
	'set-option set aFgopqsuUw t:pane' \
	'set-window-option setw aFgoqu t:window' \
	'show-buffer showb - b:buffer' \
	'show-environment showenv hgs t:session' \
	'show-options show AgHpqsvw t:pane' \
	'show-window-options showw gv t:window' \
	'source-file source Fnqv -' \
	'split-window splitw bdefhIPvZ c:dir,e:word,F:word,l:word,t:pane' \
	'start-server start - -' \
	'suspend-client suspendc - t:client' \
	'swap-pane swapp dDUZ s:pane,t:pane' \
	'switch-client switchc ElnprZ c:client,t:session,T:table' \
	'unbind-key unbind anq T:table' \
	'wait-for wait LSU -'
set -g __rmux_options \
	activity-action aggressive-resize allow-passthrough allow-rename \
	alternate-screen automatic-rename base-index bell-action buffer-limit \
	client-history-limit clock-mode-colour clock-mode-style \
	connection-timeout copy-command default-command default-shell \
	default-size default-terminal destroy-unattached detach-on-destroy \
	display-panes-active-colour display-panes-colour display-panes-time \
	display-time editor escape-time exit-empty exit-unattached focus-events \
	history-file history-limit history-native lock-after-time \
	main-pane-height main-pane-width message-limit message-style mode-keys \
	mode-style monitor-activity monitor-bell monitor-silence mouse \
	other-pane-height other-pane-width pane-active-border-style \
	pane-base-index pane-border-status pane-border-style predict prefix \
	prefix2 remain-on-exit renumber-windows repeat-time set-clipboard \
	set-titles set-titles-string silence-action status status-bg status-fg \
	status-interval status-justify status-keys status-left \
	status-left-length status-left-style status-position status-right \
	status-right-length status-right-style status-style synchronize-panes \
	update-environment \
	visual-activity visual-bell visual-silence window-size \
	window-status-activity-style window-status-bell-style \
	window-status-current-format window-status-current-style \
	window-status-format window-status-last-style window-status-separator \
	window-status-style word-separators wrap-search
set -g __rmux_tables root prefix copy-mode copy-mode-vi
set -g __rmux_layouts even-horizontal even-vertical main-horizontal main-vertical tiled

function __rmux_hosts
	for f in ~/.ssh/config /etc/ssh/ssh_config
		test -r $f; and awk 'tolower($1) == "host" {
			for (i = 2; i <= NF; i++) if ($i !~ /[*?!]/) print $i }' $f
	end
	for f in ~/.ssh/known_hosts /etc/ssh/ssh_known_hosts
		test -r $f; and awk '$1 !~ /^[|#@]/ && NF >= 2 {
			n = split($1, h, ",")
			for (i = 1; i <= n; i++) {
				x = h[i]
				if (x ~ /^\[/) { sub(/^\[/, "", x); sub(/\].*$/, "", x) }
				print x
			} }' $f
	end
end

# Print the candidates of one kind; SERVER is the rmux command line that
# reaches the right server.
function __rmux_kind -a kind cur
	set -l server $__rmux_server
	switch $kind
	case session
		$server list-sessions -F '#{session_name}' 2>/dev/null
	case window
		$server list-windows -a -F '#{session_name}:#{window_index}' 2>/dev/null
		$server list-windows -a -F '#{session_name}:#{window_name}' 2>/dev/null
	case pane
		$server list-panes -a -F '#{session_name}:#{window_index}.#{pane_index}' 2>/dev/null
		$server list-panes -a -F '#{pane_id}' 2>/dev/null
	case client
		$server list-clients -F '#{client_name}' 2>/dev/null
	case buffer
		$server list-buffers -F '#{buffer_name}' 2>/dev/null
	case table
		printf '%s\n' $__rmux_tables
	case option
		printf '%s\n' $__rmux_options
	case layout
		printf '%s\n' $__rmux_layouts
	case predict
		printf '%s\n' adaptive always never
	case command
		for c in $__rmux_commands
			set -l w (string split ' ' -- $c)
			echo $w[1]
			test $w[2] != -; and echo $w[2]
		end
	case host
		set -l user (string match -r '^[^@]*@' -- $cur)
		__rmux_hosts | sort -u | sed "s/^/$user/"
	case dir
		__fish_complete_directories $cur
	case file
		__fish_complete_path $cur
	case socket
		set -l dir /tmp
		set -q RMUX_TMPDIR; and set dir $RMUX_TMPDIR
		for s in $dir/rmux-(id -u)/*
			test -S $s; and basename $s
		end
	end
end

function __rmux_complete
	set -l words (commandline -opc)
	set -l cur (commandline -ct)
	set -g __rmux_server $words[1]
	set -l kind
	set -l i 2
	set -l n (count $words)
	while test $i -le $n
		switch $words[$i]
		case -L -S
			set -a __rmux_server $words[$i]
			set i (math $i + 1)
			test $i -le $n; and set -a __rmux_server $words[$i]
		case -f
			set i (math $i + 1)
		case '-L?*' '-S?*'
			set -a __rmux_server $words[$i]
		case '-*'
		case '*'
			break
		end
		set i (math $i + 1)
	end
	if test $i -gt (math $n + 1)
		if test $words[$n] = -L
			set kind socket
		else
			set kind file
		end
	else if test $i -gt $n
		if string match -q -- '-*' $cur
			printf '%s\n' -2 -f -h -L -S -u -v -V
			return
		end
		set kind command
	else
		# The command: the last one on the line (\; separates commands).
		for j in (seq $i $n)
			if contains -- $words[$j] '\;' ';'
				set i (math $j + 1)
			end
		end
		if test $i -gt $n
			set kind command
		else
			set -l spec
			for c in $__rmux_commands
				set -l w (string split ' ' -- $c)
				if test $w[1] = $words[$i]; or test $w[2] = $words[$i]
					set spec $w
					break
				end
			end
			test (count $spec) -eq 0; and return
			set -l args ,$spec[4],
			set -l npos 0
			for j in (seq (math $i + 1) $n)
				set -l w $words[$j]
				if test -n "$kind"
					set kind
				else if string match -q -- '--?*' $w; and string match -q -- "*,$w:*" $args
					set kind (string replace -r ".*,$w:([^,]*),.*" '$1' -- $args)
				else if string match -q -- '-?*' $w; and test $npos -eq 0
					set -l c (string sub -s -1 -- $w)
					if test (string length -- $w) -eq 2; and string match -q -- "*,$c:*" $args
						set kind (string replace -r ".*,$c:([^,]*),.*" '$1' -- $args)
					end
				else
					set npos (math $npos + 1)
				end
			end
			if test -z "$kind"
				if string match -q -- '-*' $cur; and test $npos -eq 0
					test $spec[3] != -; and for f in (string split '' -- $spec[3])
						echo -- -$f
					end
					for f in (string split , -- $spec[4])
						test $f = -; and continue
						set f (string split : -- $f)[1]
						if string match -q -- '--*' $f
							echo -- $f
						else
							echo -- -$f
						end
					end
					return
				end
				switch $spec[1]:$npos
				case attach-session:0 connect:0
					set kind host
				case set-option:0 set-window-option:0 show-options:0 show-window-options:0
					set kind option
				case list-commands:0
					set kind command
				case select-layout:0
					set kind layout
				case 'source-file:*' load-buffer:0 save-buffer:0
					set kind file
				case '*'
					return
				end
			end
		end
	end
	test "$kind" = word; and return
	__rmux_kind $kind $cur
end

complete -c rmux -f -a '(__rmux_complete)'
