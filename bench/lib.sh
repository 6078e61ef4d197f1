# bench/lib.sh - helpers shared by the bench scripts (sourced; needs python3).

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Resident set size of a process in KiB.
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# Waits until URL answers 200 (at most SECONDS, default 60); fails if PID died.
wait_ok() { # URL PID [SECONDS]
	local i
	for ((i = 0; i < ${3:-60} * 10; i++)); do
		kill -0 "$2" 2>/dev/null || return 1
		curl -sf -o /dev/null --max-time 2 "$1" && return 0
		sleep 0.1
	done
	return 1
}

# Signs in as USER and prints a new API token of theirs.
token_for() { # URL USER PASSWORD
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys, urllib.request
url, user, pw = sys.argv[1:4]
def call(method, path, body, headers):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method=method,
                                 headers={"Content-Type": "application/json", **headers})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r, json.loads(r.read() or b"{}")
r, login = call("POST", "/api/session", {"username": user, "password": pw}, {})
cookie = [v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie" and v.startswith("kefu_session=")][0]
_, tok = call("POST", "/api/tokens", {"name": "bench"}, {"Cookie": cookie, "X-CSRF-Token": login["csrf_token"]})
print(tok["token"])
PY
}
