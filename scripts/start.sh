#!/usr/bin/env bash
# `npm start`: installs what is missing, then runs the upstream sandbox (simulated PagerDuty,
# GitHub, Grafana, Kibana, Elasticsearch, Slack and Kubernetes on 127.0.0.1:7100-7107, demo scenario), the Backstage
# backend on :7007 and the app on :3000 against SQLite files in .dash-data/, with the demo catalog
# from catalog-info/. Ctrl-C stops everything.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
mkdir -p .dash-data

port_busy() { node -e 'const s=require("net").connect(+process.argv[1],"127.0.0.1");s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1));setTimeout(()=>process.exit(1),1000)' "$1"; }
# 7100-7107: the upstream sandbox (admin, PagerDuty, GitHub, Grafana, Kibana, Elasticsearch,
# Slack, Kubernetes).
for port in 7007 3000 7100 7101 7102 7103 7104 7105 7106 7107; do
  if port_busy "$port"; then
    echo "Port $port is already in use (is npm start already running?). Stop that process and try again." >&2
    exit 1
  fi
done

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

# The sandbox re-anchors its stories to the moment it starts. Its upstream ids survive that shift
# (packages/upstream-sandbox/README.md), but the DASH Kibana source keys error-log spikes and rule
# alerts by their start time: the DASH cache of the last run would keep each story's spike and
# alert at its old time, one more copy per start. Start the DASH cache afresh (the catalog and
# the other plugins keep their files).
if ls .dash-data/dash.sqlite* >/dev/null 2>&1; then
  progress "Clearing the DASH cache of the last run (.dash-data/dash.sqlite): the sandbox's stories are re-timed at each start"
  rm -f .dash-data/dash.sqlite*
fi

progress "Starting the upstream sandbox (simulated PagerDuty, GitHub, Grafana, Kibana, Elasticsearch, Slack, Kubernetes) on 127.0.0.1:7100-7107"
set -m
node packages/upstream-sandbox/bin/upstream-sandbox --scenario demo --port 7100 --live >.dash-data/upstream-sandbox.log 2>&1 &
pids+=($!)
set +m
sandbox_ready=
for _ in $(seq 1 60); do
  if curl -fsS -o /dev/null http://127.0.0.1:7100/scenario 2>/dev/null; then
    sandbox_ready=1
    break
  fi
  if ! kill -0 "${pids[0]}" 2>/dev/null; then break; fi
  sleep 0.5
done
if [ -z "$sandbox_ready" ]; then
  echo "The upstream sandbox did not start; its output (.dash-data/upstream-sandbox.log):" >&2
  cat .dash-data/upstream-sandbox.log >&2 || true
  exit 1
fi
progress "Upstream sandbox ready: admin http://127.0.0.1:7100, PagerDuty :7101, GitHub :7102, Grafana :7103, Kibana :7104, Elasticsearch :7105, Slack :7106, Kubernetes :7107 (tokens sandbox-<name>-token; log in .dash-data/upstream-sandbox.log)"

progress "Starting the backend on http://localhost:7007 and the app on http://localhost:3000 (the first compile takes about a minute)"
set -m
# Loads app-config.yaml, and app-config.local.yaml when it exists (git-ignored).
backstage-cli repo start &
pids+=($!)
set +m

# Tell the user when it is ready (bounded: give up waiting after 5 minutes, keep running).
(
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null http://localhost:7007/.backstage/health/v1/readiness 2>/dev/null &&
      curl -fsS -o /dev/null http://localhost:3000/ 2>/dev/null; then
      progress "Ready: open http://localhost:3000 (sign in as Guest). Backend: http://localhost:7007"
      exit 0
    fi
    sleep 1
  done
  progress "Still not ready after 5 minutes; see the output above"
) &
pids+=($!)

# pids[0] is the sandbox, pids[1] Backstage: run until Backstage exits.
wait "${pids[1]}"
