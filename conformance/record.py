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
    if isinstance(v, (datetime.datetime, datetime.date, datetime.timedelta)):
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
            return {"sql": sql, "ok": True}
        columns = [d[0] for d in cur.description]
        rows = [[cell(v) for v in row] for row in cur.fetchall()]
        return {"sql": sql, "columns": columns, "rows": rows}


def main():
    socket = sys.argv[1] if len(sys.argv) > 1 else "/run/mysqld/mysqld.sock"
    setup = statements((ROOT / "school.sql").read_text())
    for case in sorted((ROOT / "cases").glob("*.sql")):
        conn = pymysql.connect(unix_socket=socket, user="root", charset="utf8mb4", autocommit=True)
        for db in ("school", "other_db"):
            run(conn, f"DROP DATABASE IF EXISTS {db}")
        for sql in setup:
            r = run(conn, sql)
            if "error" in r:
                sys.exit(f"setup failed: {r}")
        results = [run(conn, sql) for sql in statements(case.read_text())]
        conn.close()
        target = case.with_suffix(".expected.json")
        target.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
        print(f"recorded {len(results)} statements: {target.relative_to(ROOT.parent)}")


if __name__ == "__main__":
    main()
