"""``python -m ritualcli``: the same as the ``ritual`` command."""

from .cli.app import main

main()
