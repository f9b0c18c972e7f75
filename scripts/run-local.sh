#!/usr/bin/env bash
# Starts City Digital Readiness locally: migrate, seed, then the web server and a Celery worker
# together. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput -v0
$PY manage.py seed_demo

# --beat runs the periodic sweeps that re-send briefings and emails a broker outage held back.
.venv/bin/celery -A citydigital worker --beat --loglevel=INFO --concurrency=2 --without-gossip --without-mingle &
worker=$!
$PY manage.py runserver 127.0.0.1:8000 --noreload &
web=$!

stop() {
  trap - INT TERM EXIT
  echo "Stopping web server and worker..."
  kill -TERM "$web" "$worker" 2>/dev/null || true
  wait "$web" "$worker" 2>/dev/null || true
}
trap stop INT TERM EXIT
echo "City Digital Readiness: http://127.0.0.1:8000/ (web pid $web, worker pid $worker). Ctrl-C stops both."
echo "Emails are written to var/mail/: ls -t var/mail | head"
# Whichever stops first brings the other down too.
wait -n "$web" "$worker" || true
