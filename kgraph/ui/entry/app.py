"""The kgraph dashboard as an installed package serves it (``kgraph serve``). It only
calls ``kgraph.ui.dashboard.run``; ``app.py`` at the root of a checkout serves this same
script. Why it sits in a folder of its own: ``kgraph/ui/entry/__init__.py``."""

from kgraph.ui.dashboard import run

run()
