#!/usr/bin/env bash
# The production topology of port-assess, started on 127.0.0.1 of this machine with real parts:
#
#   https://127.0.0.1:8443 --> nginx (TLS, self-signed) --> gunicorn 127.0.0.1:8001 --+--> PostgreSQL
#                                                       --> gunicorn 127.0.0.1:8002 --+    (database port_assess_cluster)
#                                                                                     +--> Redis db 12 (queue),
#   port-assess worker 1, port-assess worker 2 <---- the queue ---------------------------> db 13 (rate limits)
#
# Usage: deploy/local-cluster.sh up|down|status|upgrade|start NAME|stop NAME|kill NAME|destroy
#   up       install what is missing (nginx from Debian, the venv), make the state folder,
#            the environment file, a certificate, the database; migrate, import the shipped
#            question sets, ensure the administrator; start 2 app servers, 2 report workers
#            and nginx; check HTTPS. Starting only what is not running, it is safe to repeat.
#   down     stop everything `up` started (PostgreSQL and Redis were running before: left be).
#   status   what runs, /healthz of each app server and through nginx, the queue, the reports.
#   upgrade  the documented upgrade: stop the workers (finishing their renders), migrate,
#            restart the app servers one at a time, start the workers, check /healthz.
#   start|stop|kill NAME   one part: web-8001, web-8002, worker-1, worker-2, nginx (kill is
#            SIGKILL, for fault tests: bench/faults.py uses it).
#   destroy  down, then drop the cluster's database and Redis dbs and remove the state folder.
#   command NAME   the command line `start NAME` runs (web-PORT, worker-N), shell-quoted on one
#            line; with no environment file yet, it makes one as `up` does, and nothing else.
#
# The configuration is not written here: the environment file is deploy/port-assess.env.example
# with the values this machine needs replaced; the command lines are the ExecStart= lines of
# deploy/systemd/*.service; the nginx site is deploy/nginx/port-assess.conf filled by envsubst.
# So what docs/deploy.md tells an administrator to install is what this script runs.
#
# Any setting of the example may be given in the environment of `up` and wins, e.g. for the
# fault run: ASSESSMENT_REPORT_TIMEOUT_SECONDS=40 deploy/local-cluster.sh up
set -euo pipefail

DEPLOY=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$DEPLOY")
STATE=${PORT_ASSESS_CLUSTER_STATE:-$DEPLOY/.cluster}
VENV=$ROOT/.venv
ENV_EXAMPLE=$DEPLOY/port-assess.env.example
ENV_FILE=$STATE/port-assess.env
SITE_TEMPLATE=$DEPLOY/nginx/port-assess.conf
WEB_UNIT=$DEPLOY/systemd/port-assess-web@.service
WORKER_UNIT=$DEPLOY/systemd/port-assess-worker@.service
# Where the units expect the code; replaced by this checkout.
UNIT_HOME=/opt/port-assess

# This machine's cluster: its own database and role, Redis db numbers and ports.
PG_HOST=127.0.0.1
PG_PORT=5432
PG_SUPERUSER=postgres
CLUSTER_DB=${CLUSTER_DB:-port_assess_cluster}
CLUSTER_ROLE=${CLUSTER_ROLE:-port_assess_cluster}
REDIS_HOST=127.0.0.1
REDIS_PORT=6379
QUEUE_DB=${CLUSTER_QUEUE_DB:-12}
LIMITS_DB=${CLUSTER_LIMITS_DB:-13}
HTTPS_PORT=${CLUSTER_HTTPS_PORT:-8443}
HTTP_PORT=${CLUSTER_HTTP_PORT:-8080}
WEB_PORTS=(8001 8002)
WORKERS=(1 2)

say() { printf '%s\n' "local-cluster: $*"; }
die() { printf '%s\n' "local-cluster: error: $*" >&2; exit 1; }

# --- What must be installed ----------------------------------------------------------------

# Debian packages for the tools this script calls; nginx is the one usually missing.
ensure_packages() {
    local missing=() pair tool package
    for pair in nginx:nginx openssl:openssl envsubst:gettext-base psql:postgresql-client \
        pg_isready:postgresql-client redis-cli:redis-tools curl:curl ps:procps pkill:procps; do
        tool=${pair%%:*} package=${pair#*:}
        command -v "$tool" >/dev/null 2>&1 || missing+=("$package")
    done
    [[ ${#missing[@]} -eq 0 ]] && return
    [[ $(id -u) -eq 0 ]] || die "missing Debian packages: ${missing[*]} (run as root to install them)"
    say "installing ${missing[*]} from Debian"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    # Debian's nginx package may start the system nginx on port 80; it is not ours to stop, and
    # the cluster listens on other ports.
}

# The app's venv: `make install` makes it on a fresh clone; `make system` adds WeasyPrint's
# libraries and the report font.
ensure_venv() {
    if [[ ! -x $VENV/bin/port-assess || ! -x $VENV/bin/gunicorn ]]; then
        say "no venv yet: make install system"
        make -C "$ROOT" install system
    fi
    "$VENV/bin/python" -c 'import psycopg' 2>/dev/null ||
        die "$VENV lacks psycopg: $VENV/bin/pip install '${ROOT}[postgres]'"
}

# --- The environment file ------------------------------------------------------------------

# The values this machine's cluster needs in place of the example's. Every key must exist in
# the example: a setting the cluster uses and the example lacks would be undocumented.
cluster_overrides() {
    cat <<EOF
ASSESSMENT_SECRET_KEY_FILE=$STATE/secret_key
ASSESSMENT_DATABASE_URL=postgresql+psycopg://$CLUSTER_ROLE@$PG_HOST:$PG_PORT/$CLUSTER_DB
ASSESSMENT_QUEUE_URL=redis://$REDIS_HOST:$REDIS_PORT/$QUEUE_DB
ASSESSMENT_RATELIMIT_STORAGE_URI=redis://$REDIS_HOST:$REDIS_PORT/$LIMITS_DB
ASSESSMENT_INSTANCE_PATH=$STATE/instance
ASSESSMENT_ADMIN_EMAIL=admin@cluster.localhost
PORT_ASSESS_SERVER_NAME="localhost 127.0.0.1"
PORT_ASSESS_PUBLIC_URL=https://127.0.0.1:$HTTPS_PORT
PORT_ASSESS_TLS_CERT=$STATE/tls/cert.pem
PORT_ASSESS_TLS_KEY=$STATE/tls/key.pem
PORT_ASSESS_HTTPS_LISTEN=127.0.0.1:$HTTPS_PORT
PORT_ASSESS_HTTP_LISTEN=127.0.0.1:$HTTP_PORT
PORT_ASSESS_WEB_1=127.0.0.1:${WEB_PORTS[0]}
PORT_ASSESS_WEB_2=127.0.0.1:${WEB_PORTS[1]}
PORT_ASSESS_NGINX_ACCESS_LOG=$STATE/logs/nginx-access.log
EOF
}

# Only lines both systemd's EnvironmentFile= and this script read the same way. (The $ and `
# are characters the pattern refuses, not expansions.)
# shellcheck disable=SC2016
ENV_LINE='^([A-Z_][A-Z0-9_]*)=("[^"$`\\]*"|[^"$`\\ ]*)$'

check_env_syntax() {
    local file=$1 number=0 line
    while IFS= read -r line || [[ -n $line ]]; do
        number=$((number + 1))
        [[ -z $line || $line == \#* ]] && continue
        [[ $line =~ $ENV_LINE ]] || die "$file:$number: not KEY=value or KEY=\"value\": $line"
    done <"$file"
}

# The example, line by line, with the cluster's values and then the caller's put in.
write_env_file() {
    check_env_syntax "$ENV_EXAMPLE"
    local -A override=()
    local key value line
    while IFS= read -r line; do
        override[${line%%=*}]=${line#*=}
    done < <(cluster_overrides)
    for key in "${!override[@]}"; do
        grep -q "^$key=" "$ENV_EXAMPLE" || die "$ENV_EXAMPLE lacks $key: document it there"
    done
    # A setting of the example given in the caller's environment wins (said aloud).
    while IFS= read -r key; do
        if [[ -v $key ]]; then
            value=${!key}
            [[ $value == *' '* ]] && value="\"$value\""
            override[$key]=$value
            say "from your environment: $key=$value"
        fi
    done < <(sed -nE 's/^([A-Z_][A-Z0-9_]*)=.*/\1/p' "$ENV_EXAMPLE")
    # Readable by its owner only, as on a server (0640 root:port-assess there).
    rm -f "$ENV_FILE.new"
    (umask 077 && : >"$ENV_FILE.new")
    {
        printf '# Made by deploy/local-cluster.sh from %s: do not edit, edit the example.\n' \
            "${ENV_EXAMPLE#"$ROOT"/}"
        while IFS= read -r line || [[ -n $line ]]; do
            if [[ $line =~ $ENV_LINE ]] && [[ -v override[${BASH_REMATCH[1]}] ]]; then
                printf '%s=%s\n' "${BASH_REMATCH[1]}" "${override[${BASH_REMATCH[1]}]}"
            else
                printf '%s\n' "$line"
            fi
        done <"$ENV_EXAMPLE"
    } >"$ENV_FILE.new"
    check_env_syntax "$ENV_FILE.new"
    if [[ -f $ENV_FILE ]] && ! cmp -s "$ENV_FILE" "$ENV_FILE.new" && any_running; then
        say "settings changed: what already runs keeps the old ones until restarted" \
            "('$0 upgrade' restarts the app servers and workers, one at a time)"
    fi
    mv "$ENV_FILE.new" "$ENV_FILE"
}

# The environment file as `env` arguments: KEY=value with the quotes removed, as systemd reads
# it. Processes start from this and a minimal PATH/HOME/LANG only (like systemd), not from the
# caller's environment.
ENV_ARGS=()
load_env() {
    [[ -f $ENV_FILE ]] || die "no $ENV_FILE: run '$0 up' first"
    check_env_syntax "$ENV_FILE"
    ENV_ARGS=(PATH=/usr/local/bin:/usr/bin:/bin HOME="${HOME:-/root}" LANG=C.UTF-8)
    local line key value
    while IFS= read -r line || [[ -n $line ]]; do
        [[ $line =~ $ENV_LINE ]] || continue
        key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
        value=${value#\"} value=${value%\"}
        ENV_ARGS+=("$key=$value")
    done <"$ENV_FILE"
}

setting() { # the value of one setting of the environment file
    local item
    for item in "${ENV_ARGS[@]}"; do
        [[ $item == "$1="* ]] && { printf '%s' "${item#*=}"; return; }
    done
    die "no $1 in $ENV_FILE"
}

in_env() { env -i "${ENV_ARGS[@]}" "$@"; }
app() { (cd "$ROOT" && in_env "$VENV/bin/port-assess" "$@"); }

# --- Command lines from the systemd units --------------------------------------------------

# The unit's ExecStart= (or another key's) value.
unit_value() {
    local unit=$1 key=$2 value
    value=$(sed -n "s/^$key=//p" "$unit")
    [[ -n $value ]] || die "$unit has no $key="
    printf '%s' "$value"
}

# ExecStart of a unit as an argv for this checkout: %i is the instance, ${VAR} a setting of the
# environment file (as systemd expands them), /opt/port-assess this checkout. Quotes are split
# as systemd does (shlex is close enough for the one-line commands we write).
COMMAND=()
unit_command() {
    local unit=$1 instance=$2 line names
    line=$(unit_value "$unit" ExecStart)
    line=${line//%i/$instance}
    line=${line//"$UNIT_HOME"/$ROOT}
    names=$(grep -oE '\$\{[A-Z_][A-Z0-9_]*\}' <<<"$line" | sort -u | tr -d '\n' || true)
    [[ -n $names ]] && line=$(in_env envsubst "$names" <<<"$line")
    [[ $line == *'$'* || $line == *%* ]] && die "$unit: unexpanded variable in: $line"
    mapfile -d '' COMMAND < <("$VENV/bin/python" -c \
        'import shlex, sys; sys.stdout.write("\0".join(shlex.split(sys.argv[1])))' "$line")
    for name in $(grep -oE '[A-Z_][A-Z0-9_]*' <<<"$names" || true); do
        [[ -n $(setting "$name") ]] || die "$name is empty in $ENV_FILE"
    done
}

# --- Processes: pid files and logs in the state folder -------------------------------------

pid_file() { printf '%s/run/%s.pid' "$STATE" "$1"; }
log_file() { printf '%s/logs/%s.log' "$STATE" "$1"; }

running() { # the pid of NAME if it runs
    local file pid
    file=$(pid_file "$1")
    [[ -f $file ]] || return 1
    pid=$(<"$file")
    [[ -n $pid ]] && alive "$pid" && printf '%s' "$pid"
}

# A process that ended a moment ago may linger as a zombie until it is reaped: not alive.
alive() { kill -0 "$1" 2>/dev/null && [[ $(ps -o stat= -p "$1" 2>/dev/null) != Z* ]]; }

# In a subshell about to start a long-running process: close every descriptor but 0-2 that it
# would otherwise inherit from whoever ran this script (a pipe kept open by a daemon keeps a
# caller waiting for its end; systemd starts services with none either).
close_inherited_fds() {
    local fd
    for fd in /proc/"$BASHPID"/fd/*; do
        fd=${fd##*/}
        if ((fd > 2)); then exec {fd}>&-; fi
    done 2>/dev/null
}

any_running() {
    local name
    for name in nginx "${WEB_PORTS[@]/#/web-}" "${WORKERS[@]/#/worker-}"; do
        running "$name" >/dev/null && return 0
    done
    return 1
}

# Start a command in a session of its own (so that stopping it reaches its children too:
# gunicorn's workers, a worker's render processes), in the checkout, with the environment file.
spawn() {
    local name=$1
    shift
    if running "$name" >/dev/null; then
        say "$name already runs (pid $(running "$name"))"
        return
    fi
    # After a SIGKILL, what the dead process left running in its session (a render child, a
    # gunicorn worker that has not yet noticed its master is gone and still holds the port).
    if [[ -f $(pid_file "$name") ]]; then
        pkill -KILL -s "$(<"$(pid_file "$name")")" 2>/dev/null || true
    fi
    printf '\n=== %s start: %s\n' "$(date -Is)" "$*" >>"$(log_file "$name")"
    (
        cd "$ROOT"
        close_inherited_fds
        exec setsid env -i "${ENV_ARGS[@]}" "$@" </dev/null >>"$(log_file "$name")" 2>&1
    ) &
    echo $! >"$(pid_file "$name")"
    say "$name started (pid $!, log ${STATE#"$ROOT"/}/logs/$name.log)"
}

# Stop NAME with SIGNAL, wait up to SECONDS, then SIGKILL what is left of its session.
halt() {
    local name=$1 signal=$2 seconds=$3 pid waited=0
    if ! pid=$(running "$name"); then
        rm -f "$(pid_file "$name")"
        return
    fi
    kill -s "$signal" "$pid" 2>/dev/null || true
    while alive "$pid" && ((waited < seconds * 10)); do
        sleep 0.1
        waited=$((waited + 1))
    done
    if alive "$pid"; then
        say "$name did not stop within ${seconds}s of SIG$signal: SIGKILL"
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    # Children a SIGKILLed parent left behind (its session id is the parent's pid).
    pkill -KILL -s "$pid" 2>/dev/null || true
    rm -f "$(pid_file "$name")"
    say "$name stopped"
}

# SIGKILL, as a crash would: only the main process; its children are left as a crash leaves
# them (gunicorn's workers notice their master is gone and exit; a render child finishes or
# is killed by its time limit).
crash() {
    local name=$1 pid
    pid=$(running "$name") || die "$name does not run"
    kill -KILL "$pid"
    say "$name (pid $pid) killed with SIGKILL"
}

# The stop signal and time of a unit, as systemd would use them.
stop_signal() { unit_value "$1" KillSignal | sed 's/^SIG//'; }
stop_seconds() { unit_value "$1" TimeoutStopSec; }

start_web() {
    local port=$1
    unit_command "$WEB_UNIT" "$port"
    spawn "web-$port" "${COMMAND[@]}"
    wait_healthy "web-$port" "http://127.0.0.1:$port/healthz"
}

start_worker() {
    local n=$1 log lines=0
    if running "worker-$n" >/dev/null; then
        say "worker-$n already runs (pid $(running "worker-$n"))"
        return
    fi
    unit_command "$WORKER_UNIT" "$n"
    log=$(log_file "worker-$n")
    [[ -f $log ]] && lines=$(wc -l <"$log")
    spawn "worker-$n" "${COMMAND[@]}"
    wait_worker "worker-$n" "$log" $((lines + 1))
}

# A worker has no port to ask: it is ready when it has printed its "Report worker: ..." line
# (the app is loaded and the queue opened) and still runs. A worker that cannot load the app
# would otherwise be reported started and do nothing.
wait_worker() { # NAME LOG FIRST-LINE-OF-THIS-START
    local name=$1 log=$2 from=$3 tries=0
    until tail -n "+$from" "$log" | grep -q '^Report worker:'; do
        running "$name" >/dev/null ||
            die "$name exited: see ${log#"$ROOT"/}: $(tail -n 1 "$log")"
        tries=$((tries + 1))
        ((tries < 150)) || die "$name: not ready within 30 s (see ${log#"$ROOT"/})"
        sleep 0.2
    done
    running "$name" >/dev/null || die "$name exited: see ${log#"$ROOT"/}: $(tail -n 1 "$log")"
}

stop_web() { halt "web-$1" "$(stop_signal "$WEB_UNIT")" "$(stop_seconds "$WEB_UNIT")"; }
stop_worker() { halt "worker-$1" "$(stop_signal "$WORKER_UNIT")" "$(stop_seconds "$WORKER_UNIT")"; }

wait_healthy() { # NAME URL [curl options]: wait up to 30 s for 200 from /healthz
    local name=$1 url=$2 tries=0
    shift 2
    until curl -fsS -o /dev/null --max-time 2 "$@" "$url" 2>/dev/null; do
        tries=$((tries + 1))
        # (nginx writes its pid file a moment after it returns: give it a second.)
        ((tries < 5)) || running "$name" >/dev/null ||
            die "$name exited: see ${STATE#"$ROOT"/}/logs/$name.log"
        ((tries < 150)) || die "$name: no 200 from $url within 30 s"
        sleep 0.2
    done
}

# --- nginx ---------------------------------------------------------------------------------

NGINX_DIR() { printf '%s/nginx' "$STATE"; }
nginx_args() { printf '%s\n' -p "$(NGINX_DIR)" -c "$(NGINX_DIR)/nginx.conf" -e "$STATE/logs/nginx-error.log"; }

# The site from the template (only the PORT_ASSESS_* names it uses are substituted), and a
# minimal nginx.conf around it: on a real server Debian's /etc/nginx/nginx.conf is that part.
write_nginx_config() {
    local dir names name
    dir=$(NGINX_DIR)
    mkdir -p "$dir/tmp"
    names=$(grep -oE '\$\{PORT_ASSESS_[A-Z0-9_]*\}' "$SITE_TEMPLATE" | sort -u | tr -d '\n')
    while IFS= read -r name; do
        [[ -n $(setting "$name") ]] || die "$SITE_TEMPLATE needs $name in the environment file"
    done < <(grep -oE 'PORT_ASSESS_[A-Z0-9_]*' <<<"$names")
    in_env envsubst "$names" <"$SITE_TEMPLATE" >"$dir/port-assess.conf"
    cat >"$dir/nginx.conf" <<EOF
# Made by deploy/local-cluster.sh; the site itself is port-assess.conf beside this file.
worker_processes 2;
pid $STATE/run/nginx.pid;
error_log $STATE/logs/nginx-error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include $dir/port-assess.conf;
}
EOF
    mapfile -t args < <(nginx_args)
    nginx "${args[@]}" -t -q || die "nginx refuses the configuration (see above)"
}

start_nginx() {
    local args
    mapfile -t args < <(nginx_args)
    if running nginx >/dev/null; then
        nginx "${args[@]}" -s reload
        say "nginx reloaded"
    else
        # After a SIGKILL of its master, nginx's workers (in the master's session) still hold
        # the ports.
        if [[ -f $(pid_file nginx) ]]; then
            pkill -KILL -s "$(<"$(pid_file nginx)")" 2>/dev/null || true
        fi
        (close_inherited_fds && exec nginx "${args[@]}") # daemonises; writes run/nginx.pid
        say "nginx started (https://127.0.0.1:$HTTPS_PORT/, log ${STATE#"$ROOT"/}/logs/nginx-*.log)"
    fi
    wait_healthy nginx "https://127.0.0.1:$HTTPS_PORT/healthz" --cacert "$STATE/tls/cert.pem"
}

stop_nginx() { halt nginx QUIT 10; }

# --- Certificate, database, Redis ----------------------------------------------------------

# A self-signed certificate for localhost and 127.0.0.1, valid 30 days, made again when it
# would expire within a day. Clients trust it with --cacert deploy/.cluster/tls/cert.pem (or
# curl -k).
ensure_certificate() {
    local dir=$STATE/tls
    mkdir -p "$dir"
    if [[ -f $dir/cert.pem ]] && openssl x509 -checkend 86400 -noout -in "$dir/cert.pem" >/dev/null; then
        return
    fi
    say "making a self-signed certificate for localhost and 127.0.0.1"
    (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -days 30 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -addext "extendedKeyUsage=serverAuth" \
        -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null)
}

psql_admin() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_SUPERUSER" -d postgres -v ON_ERROR_STOP=1 -qtAX "$@"; }

# The cluster's own role (not a superuser: as in production, the app owns its database and
# nothing else) and database, on the PostgreSQL that already runs.
ensure_database() {
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || die "PostgreSQL does not answer on $PG_HOST:$PG_PORT"
    if [[ -z $(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$CLUSTER_ROLE'") ]]; then
        psql_admin -c "CREATE ROLE \"$CLUSTER_ROLE\" LOGIN"
        say "created PostgreSQL role $CLUSTER_ROLE"
    fi
    if [[ -z $(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$CLUSTER_DB'") ]]; then
        psql_admin -c "CREATE DATABASE \"$CLUSTER_DB\" OWNER \"$CLUSTER_ROLE\" ENCODING 'UTF8'"
        say "created PostgreSQL database $CLUSTER_DB"
    fi
}

check_redis() {
    [[ $(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]] ||
        die "Redis does not answer on $REDIS_HOST:$REDIS_PORT"
}

# The first `up` keeps the administrator's generated password (shown once) in the state folder.
ensure_admin() {
    local out
    out=$(app user ensure-admin)
    if grep -q 'Password (shown only this once)' <<<"$out"; then
        (umask 077 && printf '%s\n' "$out" >"$STATE/admin-password.txt")
        say "administrator $(setting ASSESSMENT_ADMIN_EMAIL) created; password in ${STATE#"$ROOT"/}/admin-password.txt"
    else
        say "$out"
    fi
}

# Prepare the schema and content: what a release needs before its processes start.
migrate() {
    app db upgrade
    app questionnaire import --shipped
}

# --- HTTPS checks --------------------------------------------------------------------------

check_https() {
    local base=https://127.0.0.1:$HTTPS_PORT headers
    headers=$(curl -fsS -D - -o /dev/null --cacert "$STATE/tls/cert.pem" "$base/login")
    for header in Strict-Transport-Security Content-Security-Policy X-Content-Type-Options; do
        grep -qi "^$header:" <<<"$headers" || die "no $header on $base/login through nginx"
    done
    grep -qi '^set-cookie: __Host-session=.*; Secure' <<<"$headers" ||
        die "the session cookie through nginx is not __Host- and Secure"
    [[ $(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP_PORT/login") == \
        "301 $base/login" ]] || die "port $HTTP_PORT does not redirect to $base"
    say "HTTPS checked: $base/ (HSTS, CSP, nosniff, __Host- Secure cookie; http:// redirects)"
}

# --- Commands ------------------------------------------------------------------------------

cmd_up() {
    ensure_packages
    ensure_venv
    # Private folders, but the state folder itself traversable (711): nginx's worker processes
    # run as nobody when it is started as root, and must reach nginx/tmp/ to buffer a large
    # answer (a PDF) to a slow client; without that they fail it half-way, "Permission denied".
    mkdir -p "$STATE"/{run,logs,instance,tls}
    chmod 711 "$STATE"
    chmod 700 "$STATE"/{run,logs,instance,tls}
    write_env_file
    load_env
    [[ -f $(setting ASSESSMENT_SECRET_KEY_FILE) ]] || app init-secret "$(setting ASSESSMENT_SECRET_KEY_FILE)"
    ensure_certificate
    ensure_database
    check_redis
    migrate
    ensure_admin
    for port in "${WEB_PORTS[@]}"; do start_web "$port"; done
    for n in "${WORKERS[@]}"; do start_worker "$n"; done
    write_nginx_config
    start_nginx
    check_https
    say "up: https://127.0.0.1:$HTTPS_PORT/ (certificate: ${STATE#"$ROOT"/}/tls/cert.pem)"
}

cmd_down() {
    [[ -d $STATE ]] || { say "nothing to stop"; return; }
    # (No environment file needed: the pid files and the units' stop signals are enough, so
    # that a half-made `up` can be taken down too.)
    stop_nginx
    for n in "${WORKERS[@]}"; do stop_worker "$n"; done
    for port in "${WEB_PORTS[@]}"; do stop_web "$port"; done
    say "down (PostgreSQL and Redis keep running; the data stays in $CLUSTER_DB)"
}

cmd_status() {
    load_env
    local name pid code
    for name in nginx "${WEB_PORTS[@]/#/web-}" "${WORKERS[@]/#/worker-}"; do
        if pid=$(running "$name"); then
            printf '  %-10s runs (pid %s)\n' "$name" "$pid"
        else
            printf '  %-10s DOWN\n' "$name"
        fi
    done
    for port in "${WEB_PORTS[@]}"; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$port/healthz" || true)
        printf '  /healthz on 127.0.0.1:%s: %s\n' "$port" "$code"
    done
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 --cacert "$STATE/tls/cert.pem" \
        "https://127.0.0.1:$HTTPS_PORT/healthz" || true)
    printf '  /healthz through nginx: %s\n' "$code"
    printf '  queue (Redis db %s): %s messages waiting\n' "$QUEUE_DB" \
        "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$QUEUE_DB" llen huey.redis.portassess 2>/dev/null || echo '?')"
    printf '  reports by status: %s\n' "$(psql_admin -d "$CLUSTER_DB" -F= -R' ' \
        -c 'SELECT status, count(*) FROM report GROUP BY status ORDER BY status' 2>/dev/null || echo '?')"
}

# The upgrade procedure of docs/deploy.md, on this cluster. (A real upgrade installs the new
# release first: git pull && make install, or pip install of the new wheel, on every server.)
schema_revision() { psql_admin -d "$CLUSTER_DB" -c 'SELECT version_num FROM alembic_version' 2>/dev/null || echo none; }

cmd_upgrade() {
    load_env
    ensure_venv
    # Watch /healthz through nginx every 0.1 s meanwhile: restarting one app server at a time
    # should cost no request.
    local codes=$STATE/run/upgrade-probe.txt probe
    : >"$codes"
    (while :; do
        curl -s -o /dev/null -w '%{http_code}\n' --max-time 5 --cacert "$STATE/tls/cert.pem" \
            "https://127.0.0.1:$HTTPS_PORT/healthz" >>"$codes" || true
        sleep 0.1
    done) &
    probe=$!
    trap 'kill $probe 2>/dev/null || true' EXIT
    say "1/4 stopping the report workers (SIGINT: renders in hand are finished)"
    for n in "${WORKERS[@]}"; do stop_worker "$n"; done
    say "2/4 migrating the database (schema $(schema_revision)) and importing the shipped question sets"
    migrate
    say "    schema now $(schema_revision)"
    say "3/4 restarting the app servers one at a time (nginx sends requests to the other)"
    # nginx marks a server it could not reach as failed for fail_timeout (its passive health
    # check): if the next server stopped within that time, nginx would have no server left
    # and answer 502. So wait that long after each server is back (read from the template).
    local pause
    pause=$(grep -oE 'fail_timeout=[0-9]+s' "$SITE_TEMPLATE" | head -1 | tr -dc 0-9)
    for port in "${WEB_PORTS[@]}"; do
        stop_web "$port"
        start_web "$port"
        if [[ $port != "${WEB_PORTS[-1]}" ]]; then
            say "    waiting ${pause}s (nginx's fail_timeout) before the next app server"
            sleep "$((pause + 1))"
        fi
    done
    say "4/4 starting the report workers"
    for n in "${WORKERS[@]}"; do start_worker "$n"; done
    wait_healthy nginx "https://127.0.0.1:$HTTPS_PORT/healthz" --cacert "$STATE/tls/cert.pem"
    kill "$probe" 2>/dev/null || true
    trap - EXIT
    say "/healthz through nginx during the upgrade: $(sort "$codes" | uniq -c | awk '{printf "%s x %s  ", $1, $2}')"
    say "upgraded: /healthz answers $(curl -fsS --cacert "$STATE/tls/cert.pem" \
        "https://127.0.0.1:$HTTPS_PORT/healthz")"
}

cmd_destroy() {
    cmd_down
    psql_admin -c "DROP DATABASE IF EXISTS \"$CLUSTER_DB\" WITH (FORCE)"
    psql_admin -c "DROP ROLE IF EXISTS \"$CLUSTER_ROLE\""
    redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$QUEUE_DB" flushdb >/dev/null
    redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$LIMITS_DB" flushdb >/dev/null
    rm -rf "$STATE"
    say "destroyed: database $CLUSTER_DB, Redis dbs $QUEUE_DB and $LIMITS_DB, $STATE"
}

# What `start NAME` would run, for a person to read or a test to run (see the usage above):
# tests/web/test_deploy_gunicorn_config.py starts the app server's line elsewhere than in the
# checkout, so that gunicorn.conf.py can only come from the unit's -c.
cmd_command() {
    local name=${1:-}
    if [[ ! -f $ENV_FILE ]]; then
        (umask 077 && mkdir -p "$STATE")
        write_env_file >&2
    fi
    load_env
    case $name in
    web-*)
        [[ ${name#web-} =~ ^[0-9]+$ ]] || die "not a port: '${name#web-}'"
        unit_command "$WEB_UNIT" "${name#web-}"
        ;;
    worker-*) unit_command "$WORKER_UNIT" "${name#worker-}" ;;
    *) die "unknown part '$name' (web-PORT, worker-N)" ;;
    esac
    printf '%q' "${COMMAND[0]}"
    printf ' %q' "${COMMAND[@]:1}"
    printf '\n'
}

one_part() { # start|stop|kill NAME
    local action=$1 name=${2:-}
    load_env
    case $action:$name in
    start:web-*) start_web "${name#web-}" ;;
    start:worker-*) start_worker "${name#worker-}" ;;
    start:nginx) start_nginx ;;
    stop:web-*) stop_web "${name#web-}" ;;
    stop:worker-*) stop_worker "${name#worker-}" ;;
    stop:nginx) stop_nginx ;;
    kill:*) crash "$name" ;;
    *) die "unknown part '$name' (web-PORT, worker-N, nginx)" ;;
    esac
}

case ${1:-} in
up) cmd_up ;;
down) cmd_down ;;
status) cmd_status ;;
upgrade) cmd_upgrade ;;
destroy) cmd_destroy ;;
start | stop | kill) one_part "$1" "${2:-}" ;;
command) cmd_command "${2:-}" ;;
*)
    sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
