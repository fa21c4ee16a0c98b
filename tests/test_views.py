"""Views: in a link and back, saved under a name with who and when (in the history),
picked the same way everywhere, and the drawing's positions kept per view; both backends."""

from __future__ import annotations

import pytest

from kgraph import views
from kgraph.errors import DuplicateError, NotFoundError, ValidationError
from kgraph.importers import apply_batch
from kgraph.importers import seed as seed_importer
from kgraph.paths import seed_folder
from kgraph.store.base import GraphStore


@pytest.fixture
def citydeal(store: GraphStore) -> GraphStore:
    apply_batch(store, seed_importer.read(seed_folder()))
    return store


def test_a_view_survives_its_link() -> None:
    view = views.View(
        focus=("cop:ethiek", "lp:dmi-ecosysteem"),
        depth=2,
        kinds=("knowledge_question", "cop"),
        question_statuses=("open",),
        color_by="status",
        group="hubs",
        cap=1000,
    )
    params = view.to_params()
    assert params["focus"] == "cop:ethiek,lp:dmi-ecosysteem" and params["colour"] == "status"
    assert views.View.from_params(params) == view
    assert views.View().to_params() == {}  # defaults make no parameters
    for bad in ({"depth": "x"}, {"depth": "9"}, {"kinds": "spaceship"}, {"colour": "mauve"},
                {"focus": "kq:a b"}, {"cap": "999999"}):  # fmt: skip
        with pytest.raises(ValidationError, match="link"):
            views.View.from_params(bad)


def test_positions_belong_to_what_is_drawn_not_its_colours() -> None:
    a = views.View(focus=("cop:ethiek",), depth=2)
    assert a.layout_key() == views.View(focus=("cop:ethiek",), depth=2, color_by="cop").layout_key()
    assert a.layout_key() != views.View(focus=("cop:ethiek",), depth=1).layout_key()


def test_save_list_open_and_delete_a_view(citydeal: GraphStore) -> None:
    view = views.View(focus=("cop:ethiek",), depth=2)
    saved = views.save_view(citydeal, "  Ethiek   D2 ", view, actor="Ada")
    assert saved.name == "Ethiek D2" and saved.saved_by == "Ada" and saved.saved_at
    assert views.get_view(citydeal, "ETHIEK d2").view == view  # case and spaces ignored
    with pytest.raises(DuplicateError):
        views.save_view(citydeal, "ethiek d2", view, actor="Bo")
    wider = views.View(focus=("cop:ethiek",), depth=3)
    again = views.save_view(citydeal, "Ethiek D2", wider, actor="Bo", replace_existing=True)
    assert again.view == wider and again.saved_by == "Bo"
    assert [v.name for v in views.saved_views(citydeal)] == ["Ethiek D2"]
    ops = [(c.op, c.actor) for c in citydeal.history(target=f"@view/{saved.id}")]
    assert ops == [("add_record", "Ada"), ("update_record", "Bo")]
    views.delete_view(citydeal, "ethiek d2", actor="Cas")
    assert views.saved_views(citydeal) == []
    with pytest.raises(NotFoundError):
        views.get_view(citydeal, "Ethiek D2")
    with pytest.raises(ValidationError):
        views.save_view(citydeal, "   ", view)
    with pytest.raises(ValidationError):
        views.save_view(citydeal, "Leeg", views.View())


def test_select_view_filters_and_keeps_the_path(citydeal: GraphStore) -> None:
    view = views.View(focus=("cop:ethiek",), depth=2, kinds=("cop", "knowledge_question"))
    base, shown = views.select_view(citydeal, view)
    assert "cop:ethiek" in shown.nodes
    assert {n.kind for n in shown.nodes.values()} <= {"cop", "knowledge_question"}
    _base, kept = views.select_view(citydeal, view, keep=["lp:dmi-ecosysteem"])
    assert "lp:dmi-ecosysteem" in kept.nodes
    gone = views.View(focus=("cq:bestaat-niet",))
    assert not views.select_view(citydeal, gone)[1].nodes


def test_layouts_are_kept_per_view_without_history(citydeal: GraphStore) -> None:
    view = views.View(focus=("cop:ethiek",), depth=2)
    assert views.load_layout(citydeal, view).positions == {}
    marker = citydeal.last_change()
    views.save_layout(citydeal, view.layout_key(), {"cop:ethiek": [1.234, -5.0]}, ["cop:ethiek"])
    views.save_layout(citydeal, view.layout_key(), {"lp:dmi-ecosysteem": (3, 4)})
    layout = views.load_layout(citydeal, view)
    assert layout.positions == {"cop:ethiek": (1.23, -5.0), "lp:dmi-ecosysteem": (3.0, 4.0)}
    assert citydeal.last_change() == marker  # presentation state: not a change to the graph
    other = views.View(focus=("cop:ethiek",), depth=1)
    assert views.load_layout(citydeal, other).positions == {}
    with pytest.raises(ValidationError):
        views.save_layout(citydeal, view.layout_key(), {"x": ["a", 1]})
    with pytest.raises(ValidationError):
        views.save_layout(citydeal, view.layout_key(), {"x": [float("nan"), 1]})


def test_download_names_say_what_they_hold(citydeal: GraphStore) -> None:
    ethiek = views.View(focus=("cop:ethiek",), depth=2)
    assert views.download_stem(citydeal, ethiek, whole="alles") == "ethiek-d2"
    assert views.download_stem(citydeal, ethiek, name="Ethiek D2!", whole="alles") == "ethiek-d2"
    two = views.View(focus=("cop:ethiek", "lp:dmi-ecosysteem"), depth=1)
    assert views.download_stem(citydeal, two, whole="alles") == "ethiek-en-1-d1"
    assert views.download_stem(citydeal, None, whole="alles") == "alles"
