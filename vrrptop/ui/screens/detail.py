"""Detail screen of one virtual router: history, gaps, last advert, hex."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from vrrptop.model.instance import key_text
from vrrptop.ui import detail_view as dv
from vrrptop.ui.format import names_by_address
from vrrptop.ui.health_detail import expectation_section
from vrrptop.ui.health_view import correlated
from vrrptop.ui.node_view import local_instance, node_section
from vrrptop.ui.widgets.status import StatusBar
from vrrptop.ui.widgets.tables import DETAIL_TWO_COLUMNS, WIDE

if TYPE_CHECKING:
    from vrrptop.ui.app import VrrptopApp

_SECTIONS = ("expect", "node", "history", "gaps", "sources", "problems", "advert", "hex")


class DetailScreen(Screen[None]):
    """Everything known about the instance ``key`` (``"vrid/family"``), kept live."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="detail.back"),
    ]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def compose(self) -> ComposeResult:
        """Header, the instance title and the sections in a scrollable grid."""
        yield StatusBar(id="status")
        yield Static(id="detail-title")
        with VerticalScroll(id="detail-scroll"), Container(id="detail-grid"):
            for name in _SECTIONS:
                yield Static(id=f"detail-{name}", classes="section")
        yield Footer()

    def on_mount(self) -> None:
        """First render."""
        self.render_view()

    def on_screen_resume(self) -> None:
        """Back from help: catch up."""
        self.render_view()

    def on_resize(self) -> None:
        """Two columns on a wide terminal, one on a narrow one."""
        self.render_view()

    def render_view(self) -> None:
        """Redraw from the app's shown snapshot."""
        if not self.is_mounted:
            return
        app = cast("VrrptopApp", self.app)
        bars = self.query("#status").results(StatusBar)
        bar = next(bars, None)
        if bar is None:  # shutting down: the widgets go before the screen
            return
        bar.show(app.header_info())
        width = self.size.width or app.size.width
        self.set_class(width >= DETAIL_TWO_COLUMNS, "-wide")
        snap = app.shown_snapshot
        inst = None
        if snap is not None:
            inst = next(
                (i for i in snap.instances if key_text(i.vrid, i.family, i.vlan) == self.key), None
            )
        title = self.query_one("#detail-title", Static)
        if inst is None or snap is None:
            title.update(f"VRID/family {self.key}: not seen (cleared or filtered out)")
            for name in _SECTIONS:
                self.query_one(f"#detail-{name}", Static).update("")
            return
        names = names_by_address(snap.hosts) if app.show_names else {}
        title.update(dv.title_text(inst, names))
        spark_width = 60 if width >= WIDE else max(10, width - 4)
        expect = self.query_one("#detail-expect", Static)
        expect.display = correlated(inst)
        local = self.query_one("#detail-node", Static)
        local.display = local_instance(snap.node, inst) is not None
        content = {
            "expect": expectation_section(inst, snap.hosts, snap.health, app.show_names),
            "node": node_section(snap.node, inst, app.tz),
            "history": dv.history_table(inst, names, snap.ts, app.tz),
            "gaps": dv.gaps_text(inst, spark_width),
            "sources": dv.sources_table(inst, names, snap.ts),
            "problems": dv.problems_table(inst),
            "advert": dv.advert_table(inst.last_advert, app.tz, app.options.show_secrets),
            "hex": dv.hex_text(inst.last_advert, app.options.show_secrets),
        }
        for name, renderable in content.items():
            self.query_one(f"#detail-{name}", Static).update(renderable)
