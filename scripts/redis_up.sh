#!/usr/bin/env bash
# Make sure a local Redis answers on 127.0.0.1:6379 (start it if down): the
# shared rate-limit test stores its budget there. Without redis-server the
# test skips with a reason on a laptop and fails under CI=true.
set -euo pipefail

HOST=${REDIS_HOST:-127.0.0.1}
PORT=${REDIS_PORT:-6379}
ready() { redis-cli -h "$HOST" -p "$PORT" ping 2>/dev/null | grep -q PONG; }

if ready; then
  echo "redis: ready on $HOST:$PORT"
  exit 0
fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis: redis-server not found; the shared rate-limit test will skip (fail under CI=true)" >&2
  exit 0
fi
echo "redis: starting a local server on $HOST:$PORT"
redis-server --bind "$HOST" --port "$PORT" --daemonize yes --save "" --appendonly no >/dev/null
for _ in $(seq 1 30); do ready && break; sleep 0.5; done
if ! ready; then
  echo "redis: not reachable on $HOST:$PORT" >&2
  exit 1
fi
echo "redis: ready on $HOST:$PORT"
