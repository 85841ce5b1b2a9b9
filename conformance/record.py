#!/usr/bin/env python3
"""Records the conformance suite's expected results from a real MariaDB server.

Each case in conformance/cases/*.sql runs on a fresh copy of conformance/school.sql; every
statement's outcome (a result table, success, or an error) is written beside it as
NAME.expected.json. sqlnori's test command checks against these files and never needs the
server: run scripts/record-conformance.sh only to re-record after changing a case.
"""
import datetime
import decimal
import json
import pathlib
import sys

import pymysql

ROOT = pathlib.Path(__file__).resolve().parent


def statements(text):
    """Statements of a case: split at a ';' that ends a line; '--' comment lines dropped."""
    out, current = [], []
    for line in text.splitlines():
        if line.strip().startswith("--") and not current:
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            sql = "\n".join(current).strip()
            out.append(sql[:-1].rstrip())
            current = []
    if "".join(current).strip():
        out.append("\n".join(current).strip())
    return out


def cell(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return {"n": str(int(v))}
    if isinstance(v, (int, float, decimal.Decimal)):
        return {"n": str(v)}
    if isinstance(v, datetime.timedelta):
        # A TIME value as MySQL writes it: [-]HH:MM:SS, hours past 24 when it is long.
        seconds = int(v.total_seconds())
        sign = "-" if seconds < 0 else ""
        seconds = abs(seconds)
        return f"{sign}{seconds // 3600:02}:{seconds // 60 % 60:02}:{seconds % 60:02}"
    if isinstance(v, (datetime.datetime, datetime.date)):
        return str(v)
    if isinstance(v, bytes):
        return v.decode("utf-8")
    return str(v)


def run(conn, sql):
    with conn.cursor() as cur:
        try:
            cur.execute(sql)
        except pymysql.MySQLError as e:
            conn.rollback() if not conn.get_autocommit() else None
            return {"sql": sql, "error": f"{e.args[0]}: {e.args[1]}"}
        if cur.description is None:
            out = {"sql": sql, "ok": True, "affected": max(cur.rowcount, 0)}
        else:
            columns = [d[0] for d in cur.description]
            rows = [[cell(v) for v in row] for row in cur.fetchall()]
            out = {"sql": sql, "columns": columns, "rows": rows}
        # What SHOW WARNINGS says after the statement: its warnings, or those of an earlier
        # statement when it used no table and left none (MySQL's rule).
        if not sql.lstrip().upper().startswith("SHOW"):
            cur.execute("SHOW WARNINGS")
            out["warnings"] = [[level, int(code), message] for level, code, message in cur.fetchall()]
        return out


def authorization(sql):
    """`SET SESSION AUTHORIZATION 'u'@'h'` → ("u", "h"); `… DEFAULT` → None; other SQL → False.

    MariaDB has no such statement (one logs in again), so the recorder does what a learner
    would: it connects as that account (DEFAULT: back to the root connection).
    """
    words = sql.split(None, 3)
    if len(words) < 4 or [w.upper() for w in words[:3]] != ["SET", "SESSION", "AUTHORIZATION"]:
        return False
    rest = words[3].strip()
    if rest.upper() == "DEFAULT":
        return None
    user, _, host = rest.partition("@")
    return (user.strip("'`\""), host.strip("'`\"") or "%")


def current_db(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT DATABASE()")
        return cur.fetchone()[0]


def connect_as(socket, account, db):
    """A connection as `account` (no password), in `db` when it may use it."""
    user, host = account
    try:
        return pymysql.connect(unix_socket=socket, user=user, database=db, charset="utf8mb4",
                               autocommit=True)
    except pymysql.MySQLError:
        return pymysql.connect(unix_socket=socket, user=user, charset="utf8mb4", autocommit=True)


def drop_case_accounts(conn):
    """Accounts a case made, so the next case starts with root alone."""
    with conn.cursor() as cur:
        cur.execute("SELECT user, host FROM mysql.user"
                    " WHERE user NOT IN ('root', 'mysql', 'mariadb.sys', '')")
        for user, host in cur.fetchall():
            cur.execute("DROP USER %s@%s", (user, host))


def main():
    socket = sys.argv[1] if len(sys.argv) > 1 else "/run/mysqld/mysqld.sock"
    setup = statements((ROOT / "school.sql").read_text())
    only = set(sys.argv[2:])
    for case in sorted((ROOT / "cases").glob("*.sql")):
        if only and case.stem not in only:
            continue
        conn = pymysql.connect(unix_socket=socket, user="root", charset="utf8mb4", autocommit=True)
        for db in ("school", "other_db"):
            run(conn, f"DROP DATABASE IF EXISTS {db}")
        for sql in setup:
            r = run(conn, sql)
            if "error" in r:
                sys.exit(f"setup failed: {r}")
        drop_case_accounts(conn)
        root, acting, results, db = conn, conn, [], "school"
        for sql in statements(case.read_text()):
            switch = authorization(sql)
            if switch is False:
                results.append(run(acting, sql))
                continue
            # The session's database stays across switches, as in sqlnori (a connection
            # that could not open it has none).
            db = current_db(acting) or db
            if acting is not root:
                acting.close()
            if switch is None:
                acting = root
                if db:
                    run(root, f"USE `{db}`")
            else:
                acting = connect_as(socket, switch, db)
            results.append({"sql": sql, "ok": True})
        if acting is not root:
            acting.close()
        drop_case_accounts(root)
        root.close()
        target = case.with_suffix(".expected.json")
        target.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
        print(f"recorded {len(results)} statements: {target.relative_to(ROOT.parent)}")


if __name__ == "__main__":
    main()
