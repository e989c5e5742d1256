#!/bin/sh
# The audit's CLI runs this once per test suite ($1), from this folder, and stops it with SIGTERM.
# Our gateway is not started here but by run.ts's host (./host.ts), already warm: a new process
# would spend most of the 5 s the CLI waits for it loading modules. This asks the host to serve
# the suite's supergraph on the gateway port, and to stop it when the CLI is done with the suite.
# run.ts sets AUDIT_HOST_URL.
set -e
stop() {
  curl -sf -X POST "$AUDIT_HOST_URL/stop" > /dev/null || true
  exit 0
}
trap stop TERM INT
curl -sf -X POST "$AUDIT_HOST_URL/start/$1" > /dev/null
# `wait` returns when a signal arrives, so the trap runs at once.
sleep 86400 &
wait $!
