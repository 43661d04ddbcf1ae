#!/usr/bin/env bash
# make screenshots: runs the real binary under Xvfb on a seeded demo vault and
# writes PNGs of the main screens to docs/screenshots/. Everything it creates
# (vault, passphrase file, settings) lives in a temporary folder removed at exit.
#
# The pictures are the same on any day: the demo vault is seeded for a fixed day
# (casenotes seed --now) and the app runs on a clock that starts at that day, in a
# binary built for screenshots only (the casenotes_democlock tag; release builds
# always use the real clock). The example case (.ci/screenshot-case.json) was
# opened a week before that day.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export LANG=en_US.UTF-8

bin=bin/casenotes
# The fixed day of every screenshot, mid-afternoon UTC.
now=2026-11-30T15:00:00Z
# SCREENSHOT_OUT writes elsewhere (to look at the light theme without replacing
# the committed pictures: SCREENSHOT_OUT=/tmp/light FYNE_THEME=light).
out=${SCREENSHOT_OUT:-docs/screenshots}
tmp=$(mktemp -d)
display=:$((90 + RANDOM % 9))
cleanup() {
	for pid in ${app_pid:-} ${xvfb_pid:-}; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp"; }
}
trap cleanup EXIT

for tool in Xvfb xdotool import compare convert identify; do
	command -v "$tool" >/dev/null || { echo "screenshots need $tool: run make deps-test"; exit 1; }
done

vault=$tmp/vault
pass=$tmp/passphrase
printf 'demo vault passphrase for screenshots only\n' >"$pass"
# The same binary with the screenshot clock (only the desktop app reads it), built
# before HOME changes so the Go caches stay where they are.
go build -tags casenotes_democlock -o "$tmp/casenotes-screenshots" .
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config # fresh Fyne preferences
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$out"

"$bin" init --vault "$vault" --passphrase-file "$pass" \
	--name "Demo Detective Alvarez" --role detective --agency "Demo County Task Force" >/dev/null
"$bin" seed --vault "$vault" --passphrase-file "$pass" --cases 300 --notes-per-case 12 --now "$now" --practice >/dev/null
"$bin" import --vault "$vault" --passphrase-file "$pass" .ci/screenshot-case.json >/dev/null

Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
sleep 1

CASENOTES_NOW=$now CASENOTES_VAULT=$vault "$tmp/casenotes-screenshots" >/dev/null 2>"$tmp/app.log" &
app_pid=$!

# wait_window waits for the Casenotes window and makes it fill the 1280x800
# screen (there is no window manager), the smallest laptop screen the app is
# checked at; the app's own default (ui.defaultWindowSize) is a little smaller.
# stop_app ends the running app: SIGTERM, then SIGKILL if it is still there after
# 5 s (a run once hung here for minutes).
stop_app() {
	kill "$app_pid" 2>/dev/null || true
	for _ in $(seq 25); do
		kill -0 "$app_pid" 2>/dev/null || break
		sleep 0.2
	done
	kill -9 "$app_pid" 2>/dev/null || true
	wait "$app_pid" 2>/dev/null || true
}

wait_window() {
	for _ in $(seq 50); do
		win=$(xdotool search --name '^Casenotes$' 2>/dev/null | head -1 || true)
		[ -n "$win" ] && break
		sleep 0.2
	done
	[ -n "$win" ] || { echo "the app window did not appear"; cat "$tmp/app.log"; exit 1; }
	# The app sizes its window once it is shown: size it after that, until it
	# stays at 1280x800.
	for _ in $(seq 30); do
		xdotool windowsize "$win" 1280 800 windowmove "$win" 0 0
		sleep 0.7
		geometry=$(xdotool getwindowgeometry --shell "$win")
		[[ $geometry == *$'WIDTH=1280\n'*$'HEIGHT=800'* ]] && break
	done
	[[ $geometry == *$'WIDTH=1280\n'*$'HEIGHT=800'* ]] || { echo "the window did not take 1280x800: $geometry"; exit 1; }
	sleep 1
}

# pixels_differ prints how many pixels of two pictures differ.
pixels_differ() {
	compare -metric AE "$1" "$2" null: 2>&1 | awk '{ printf "%d", $1 }' || true
}

# settle waits until the window stops changing (two pictures half a second apart
# nearly alike: a blinking text cursor is allowed) and, when a previous picture
# is named, until it differs from that one: on a busy machine a key or click is
# handled after the fixed pause, and the old screen would be taken for the new.
# The settled picture is left in $tmp/now.png.
settle() { # [previous picture]
	for _ in $(seq 60); do
		import -window "$win" "$tmp/before.png"
		sleep 0.5
		import -window "$win" "$tmp/now.png"
		# The app may size its window again after wait_window saw 1280x800 (on a
		# busy machine its first resize comes late): put it back and look again.
		if [ "$(identify -format %wx%h "$tmp/now.png")" != 1280x800 ]; then
			xdotool windowsize "$win" 1280 800 windowmove "$win" 0 0
			sleep 1
			continue
		fi
		if [ "$(pixels_differ "$tmp/before.png" "$tmp/now.png")" -lt 400 ] &&
			{ [ -z "${1:-}" ] || [ "$(pixels_differ "$1" "$tmp/now.png")" -gt 2000 ]; }; then
			return 0
		fi
	done
	echo "the screen did not settle (or did not change) within 60 s"
	exit 1
}

last=""
shot() { # name [seconds to wait first]
	sleep "${2:-1}"
	settle "$last"
	convert "$tmp/now.png" -strip "$out/$1.png"
	last=$out/$1.png
	echo "wrote $out/$1.png"
}

key() { xdotool key --window "$win" "$@"; }

wait_window
shot unlock 1.5
xdotool type --window "$win" --delay 5 "$(head -1 "$pass")"
key Return
shot dashboard 3
key ctrl+2
shot cases 1.5
# Find the imported example case (.ci/screenshot-case.json) and open it: it is then
# the first row, below the filters.
key ctrl+f
xdotool type --window "$win" --delay 5 "2026-TF-0412"
sleep 0.5
xdotool mousemove --window "$win" 300 310 click 1
shot case-overview 2
for tab in notes checklist timeline releases referrals attachments; do
	key ctrl+Tab
	shot "case-$tab" 1.2
done
# The MDT practice's tabs; on References, the NCMEC report (second row) chosen.
key ctrl+Tab
sleep 1
xdotool mousemove --window "$win" 650 330 click 1
shot case-references 1.2
for tab in court outcomes; do
	key ctrl+Tab
	shot "case-$tab" 1.2
done
# The global search (Ctrl+K from any screen), typed without accents and with the
# last word unfinished.
key ctrl+k
sleep 0.5
xdotool type --window "$win" --delay 5 "quispe mart"
shot search 2.5
key Escape
# The export wizard's preview (nobody named, the prosecutor's profile, PDF): the
# Export button on the case header, then Preview.
xdotool mousemove --window "$win" 1225 110 click 1
sleep 1
settle "$last"
xdotool mousemove --window "$win" 677 681 click 1
shot export-preview 2.5
key Escape
sleep 0.5
key ctrl+3
shot tasks 1.5
# The seeded case review meeting (casenotes seed --practice): the first row of the
# meetings list.
key ctrl+4
sleep 1
xdotool mousemove --window "$win" 330 190 click 1
shot meeting 2
# The partner directory, the prosecutor (fourth row, keys confirmed) chosen.
key ctrl+5
sleep 1
xdotool mousemove --window "$win" 330 430 click 1
shot partners 1.5
# The program report (Reports, Ctrl+6) of the last whole quarter, then the vault's
# audit trail (Activity, Ctrl+7) and Settings (Ctrl+8).
key ctrl+6
xdotool windowsize "$win" 1280 800
shot reports 3
key ctrl+7
shot activity 1.5
key ctrl+8
shot settings 1.5
key ctrl+l
shot locked 1

# The Reports screen again in the light theme (FYNE_THEME), in a second run of the app.
stop_app
FYNE_THEME=light CASENOTES_NOW=$now CASENOTES_VAULT=$vault "$tmp/casenotes-screenshots" >/dev/null 2>"$tmp/app.log" &
app_pid=$!
wait_window
sleep 1
xdotool type --window "$win" --delay 5 "$(head -1 "$pass")"
key Return
sleep 8 # the passphrase's KDF, then the dashboard
key ctrl+6
xdotool windowsize "$win" 1280 800
shot reports-light 3
# Onboarding and the recovery key: the same binary on a second, empty vault.
stop_app
new_vault=$tmp/new-vault
CASENOTES_NOW=$now CASENOTES_VAULT=$new_vault "$tmp/casenotes-screenshots" >/dev/null 2>>"$tmp/app.log" &
app_pid=$!
sleep 1
wait_window
xdotool type --window "$win" --delay 5 "Demo Detective Alvarez"
key Tab Right Tab
xdotool type --window "$win" --delay 5 "Demo County Task Force"
key Tab
xdotool type --window "$win" --delay 5 "$(head -1 "$pass")"
key Tab
xdotool type --window "$win" --delay 5 "$(head -1 "$pass")"
shot onboarding 1
key Return
for _ in $(seq 100); do
	[ -e "$new_vault/vault.json" ] && break
	sleep 0.2
done
shot recovery-key 2
