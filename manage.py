#!/usr/bin/env python
import os
import sys

# Long-running processes that serve or act for users: never with development defaults.
SERVING_COMMANDS = {"runserver", "db_worker", "crontask", "runworker"}


def development_defaults(argv: list[str], environ: os._Environ[str] | dict[str, str]) -> bool:
    """On a checkout with neither SECRET_KEY nor DEBUG set, commands (migrate, seed_demo,
    demo_logins, check…) run with the same development defaults as `make run` (DEBUG=1).
    Production sets SECRET_KEY, and a serving process still refuses to start without it."""
    command = argv[1] if len(argv) > 1 else ""
    return (
        "SECRET_KEY" not in environ and "DEBUG" not in environ and (command not in SERVING_COMMANDS)
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if development_defaults(sys.argv, os.environ):
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
