#!/bin/sh
# A streaming read replica of the PostgreSQL server on 127.0.0.1:5432, on 127.0.0.1:5433, for trying
# the read router (thidua/core/db_router.py) on one machine. Run as root (or as postgres, without su).
#
#   bench/replica_setup.sh start [DIR]   # pg_basebackup -R of the whole primary into DIR, then start it
#   bench/replica_setup.sh status [DIR]  # is it a standby, how far behind
#   bench/replica_setup.sh stop [DIR]    # stop it and delete DIR
#
# Then: THIDUA_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/thidua_x THIDUA_TEST_REPLICA=127.0.0.1:5433 \
#       .venv/bin/pytest thidua/core/tests/test_db_router.py
# The primary must allow replication connections from 127.0.0.1: the script adds
# "host replication all 127.0.0.1/32 trust" to its pg_hba.conf if no replication line is there, and
# reloads it. The copy is of the whole cluster (every database): mind the disk.
set -eu

ACTION=${1:-start}
DIR=${2:-/tmp/thidua-replica}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
PRIMARY="-h 127.0.0.1 -p 5432 -U postgres"
PORT=5433

as_postgres() {
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

case "$ACTION" in
start)
    HBA=$(psql $PRIMARY -Atc "show hba_file")
    if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication' "$HBA"; then
        echo "host replication all 127.0.0.1/32 trust" >>"$HBA"
        psql $PRIMARY -Atc "select pg_reload_conf()" >/dev/null
        echo "pg_hba.conf: replication from 127.0.0.1 allowed"
    fi
    if [ -e "$DIR" ]; then
        echo "$DIR exists: run '$0 stop $DIR' first" >&2
        exit 1
    fi
    mkdir -p "$DIR"
    chmod 700 "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    started=$(date +%s)
    as_postgres "$PGBIN/pg_basebackup $PRIMARY -D $DIR -R -X stream -c fast"
    echo "base backup: $(du -sh "$DIR" | cut -f1) in $(($(date +%s) - started)) s"
    # A Debian cluster keeps its configuration outside the data directory: give the copy its own.
    # A hot standby needs these at least as large as on the primary.
    settings=""
    for name in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
        max_locks_per_transaction; do
        settings="$settings$name = $(psql $PRIMARY -Atc "show $name")
"
    done
    as_postgres "cat >$DIR/postgresql.conf <<EOF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
hot_standby = on
shared_buffers = 128MB
$settings
EOF
printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >$DIR/pg_hba.conf
: >$DIR/pg_ident.conf"
    as_postgres "$PGBIN/pg_ctl -D $DIR -l $DIR/server.log -w start"
    psql -h 127.0.0.1 -p $PORT -U postgres -Atc "select 'standby: ' || pg_is_in_recovery()"
    ;;
status)
    psql -h 127.0.0.1 -p $PORT -U postgres -Atc \
        "select 'standby: ' || pg_is_in_recovery() || ', replay lag: ' || coalesce((now() - pg_last_xact_replay_timestamp())::text, '?')"
    psql $PRIMARY -Atc "select 'primary sends to: ' || client_addr || ' ' || state from pg_stat_replication"
    ;;
stop)
    if [ -f "$DIR/postmaster.pid" ]; then
        as_postgres "$PGBIN/pg_ctl -D $DIR -m fast -w stop"
    fi
    rm -rf "$DIR"
    echo "replica stopped, $DIR removed"
    ;;
*)
    echo "usage: $0 start|status|stop [DIR]" >&2
    exit 2
    ;;
esac
