"""Manage the API's keys: add NAME --role R | list | revoke NAME | log.

`keys add` prints the new key as its last line, and only then: the keys
file keeps only a hash of it.
"""

from __future__ import annotations

import argparse

from search_api.access.keystore import ROLES, KeyStore

from . import settings_from


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="keys_action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="make a key; prints it once, as the last line")
    add.add_argument("name", help="who holds the key (a person or a script)")
    add.add_argument("--role", required=True, choices=ROLES, help="viewer < investigator < admin")
    actions.add_parser("list", help="every key: name, role, created, revoked (never the key)")
    revoke = actions.add_parser("revoke", help="revoke a key by name or id")
    revoke.add_argument("name")
    log = actions.add_parser("log", help="the access log, newest first")
    log.add_argument("--limit", type=int, default=50)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    store = KeyStore(settings.api.keys_file(settings.store))
    try:
        if args.keys_action == "add":
            key, secret = store.add(args.name, args.role)
            print(f"key {key.key_id} for {key.name!r} ({key.role}); it is shown only now:")
            print(secret)
        elif args.keys_action == "list":
            for k in store.list():
                print(f"{k.key_id}\t{k.name}\t{k.role}\t{k.created_at}\t{'revoked ' + k.revoked_at if k.revoked_at else 'active'}")
        elif args.keys_action == "revoke":
            k = store.revoke(args.name)
            print(f"revoked {k.key_id} ({k.name})")
        else:
            for r in store.access_log(args.limit):
                print(f"{r.at}\t{r.key_name}\t{r.role}\t{r.status}\t{r.method} {r.path}{'?' + r.query if r.query else ''}")
    finally:
        store.close()
    return 0
