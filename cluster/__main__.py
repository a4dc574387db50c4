"""python -m cluster up | down [--wipe] | status | test [--keep] [--seconds N]"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cluster", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="start the whole cluster on loopback (wipes a previous one)")
    d = sub.add_parser("down", help="stop every part")
    d.add_argument("--wipe", action="store_true", help="and remove var/cluster")
    sub.add_parser("status", help="what runs, and its log")
    t = sub.add_parser("test", help="the bounded failure test: up, drive, kill, check, down")
    t.add_argument("--keep", action="store_true", help="leave the cluster running afterwards")
    t.add_argument("--seconds", type=float, default=900.0, help="the whole test's time limit, start included")
    args = parser.parse_args(argv)

    from cluster import topology

    if args.command == "up":
        topology.up()
        return 0
    if args.command == "down":
        topology.down(wipe=args.wipe)
        return 0
    if args.command == "status":
        return topology.status()
    from cluster import drive

    return drive.main(keep=args.keep, seconds=args.seconds)


if __name__ == "__main__":
    sys.exit(main())
