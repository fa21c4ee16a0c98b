"""The kgraph dashboard in a checkout: ``streamlit run app.py``.

It serves the same script as ``kgraph serve`` (``kgraph/ui/entry/app.py``: the same pages,
the same sign-in gate) behind the same host check (``kgraph.auth.hostcheck``: a request
naming another host gets 403). Streamlit sees the ``App`` below and runs it on its own
server; the settings are ``.streamlit/config.toml`` beside this file, which listens on
127.0.0.1 unless told otherwise (``--server.address`` other than loopback needs sign-in,
as with ``kgraph serve``). An installed kgraph has no such file: use ``kgraph serve``.
"""

from streamlit import config
from streamlit.starlette import App

from kgraph.cli.serve_process import host_check
from kgraph.paths import APP as DASHBOARD

app = App(DASHBOARD, middleware=host_check(config.get_option("server.address") or ""))
