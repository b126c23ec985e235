#!/usr/bin/env bash
# The shadow judge inline vs on its thread, with the gateway allowed two cores (bench/RESULTS.md,
# main-thread section): every comparison differs (the shadow upstream varies generatedAt), wrk -t1 -c32
# for 8 s after a 3 s warm-up, the upstreams and wrk on core 1. Prints req/s, p99 and the comparison
# and drop counters from the gateway's /metrics (cumulative, warm-up included).
# Usage: bash bench/gateway/judge-cores.sh [bytes…]   (default: 65536 200; run `npm run build` first)
set -euo pipefail
cd "$(dirname "$0")/../.."
S=dist/bench/gateway/servers.js
TOKEN=bench-token-0123456789
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() {
  local bytes=$1 judge=$2
  cat > "$work/gw.yaml" <<EOT
listen: { host: 127.0.0.1, port: 18081 }
admin: { host: 127.0.0.1, port: 19902, token: $TOKEN }
upstreams:
  monolith: { url: http://127.0.0.1:13010 }
  svc: { url: http://127.0.0.1:13011, timeoutMs: 2000 }
routes:
  - { id: items, match: { path: /items }, service: svc, mode: shadow, shadow: { timeoutMs: 2000 } }
diffs: { store: ndjson, path: $work/diffs-$judge-$bytes }
limits: { shadowJudge: $judge }
accessLog: false
EOT
  taskset -c 1 node $S upstream 13010 "$bytes" & local p1=$!
  taskset -c 1 node $S upstream 13011 "$bytes" --vary & local p2=$!
  sleep 0.7
  taskset -c 0,1 node bin/ficus.js gateway --config "$work/gw.yaml" --log-level warn > "$work/gw.log" 2>&1 & local p3=$!
  for _ in $(seq 1 50); do curl -s -o /dev/null http://127.0.0.1:18081/items && break; sleep 0.1; done
  taskset -c 1 wrk -t1 -c32 -d3s http://127.0.0.1:18081/items > /dev/null
  local out met
  out=$(taskset -c 1 wrk -t1 -c32 -d8s --latency http://127.0.0.1:18081/items)
  sleep 1
  met=$(curl -s -H "authorization: Bearer $TOKEN" http://127.0.0.1:19902/metrics | grep -E '^ficus_gateway_shadow(_dropped)?_total' || true)
  echo "bytes=$bytes judge=$judge rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}') p99=$(echo "$out" | awk '$1=="99%" {print $2}')" \
    "compared=$(echo "$met" | grep 'shadow_total' | awk '{s+=$2} END {print s+0}') dropped=$(echo "$met" | grep dropped | awk '{s+=$2} END {print s+0}')"
  kill $p3 $p1 $p2
  wait $p3 $p1 $p2 2>/dev/null || true
}
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(65536 200)
for bytes in "${sizes[@]}"; do
  for rep in 1 2; do
    for judge in thread inline; do run "$bytes" "$judge"; done
  done
done
