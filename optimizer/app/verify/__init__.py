"""``dopt verify``: real builds before and after the rewrite (see core.py and builders.py)."""
