"""Step 5: where it runs, on what hardware, with which certifications."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select, SelectionList

from ...schema.requirements import HardwareRef, InlineHardware
from ..widgets.field import Field
from ..widgets.ticks import TickList
from .base import StepScreen

BY_HAND = "__by_hand__"
KINDS = (("GPU (graphics card)", "gpu"), ("CPU only (system memory)", "cpu"),
         ("Unified memory (Apple silicon, AMD Ryzen AI Max)", "unified"))


class HostingStep(StepScreen):
    INDEX = 4
    HELP = ("On premises keeps data in your building. An EU sovereign cloud is a provider headquartered in the "
            "EU/EEA and not subject to the US CLOUD Act; 'EU cloud region' also allows US providers' EU data "
            "centres. Without hardware on premises, advisor suggests what to buy.")

    def form(self) -> ComposeResult:
        h = self.requirements.hosting
        modes = [(t.label, key) for key, t in self.vocabulary.hosting_modes.items()]
        yield Field("Where should it run?", Select(modes, value=h.mode, allow_blank=False, id="mode", compact=True),
                    "On premises keeps data in your building; an EU sovereign cloud is EU-owned and outside the US "
                    "CLOUD Act; an EU cloud region may belong to a US provider.")
        hardware = self.extra.get("hardware", {})
        first = h.hardware[0] if h.hardware else None
        current = first.accelerator if isinstance(first, HardwareRef) else (BY_HAND if first else "")
        options = [("No hardware yet / not on premises", ""),
                   *((f"{hw.name} ({hw.memory_gb:g} GB)", hid) for hid, hw in hardware.items()),
                   ("Describe my hardware by hand…", BY_HAND)]
        yield Field("Hardware you have", Select(options, value=current, allow_blank=False, id="hardware", compact=True),
                    "Memory in GB (10^9 bytes) as the vendor states it.")
        yield Field("How many of them", Input(str(first.count if first else 1), id="count", type="integer", compact=True))
        inline = first if isinstance(first, InlineHardware) else None
        with Vertical(id="by-hand"):
            yield Field("Name", Input(inline.name if inline else "", placeholder="e.g. office server", id="hw-name", compact=True))
            yield Field("Kind", Select(KINDS, value=inline.kind if inline else "gpu", allow_blank=False, id="hw-kind", compact=True))
            yield Field("Memory per device (GB)",
                        Input(f"{inline.memory_gb:g}" if inline else "", id="hw-memory", type="number", compact=True))
            yield Field("Memory bandwidth (GB/s)",
                        Input(f"{inline.bandwidth_gbps:g}" if inline else "", id="hw-bandwidth", type="number", compact=True),
                        "From the data sheet; decides the speed estimate.")
        certs = [(f"{t.label} — {t.description}", key, key in h.certifications)
                 for key, t in self.vocabulary.certifications.items()]
        yield Field("Certifications a cloud provider must hold", TickList(*certs, id="certifications", compact=True),
                    "Leave empty if you have no such requirement.")

    def on_mount(self) -> None:
        super().on_mount()
        self._toggle_by_hand()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "hardware":
            self._toggle_by_hand()

    def _toggle_by_hand(self) -> None:
        self.query_one("#by-hand").display = self.query_one("#hardware", Select).value == BY_HAND

    def collect(self) -> dict[str, Any]:
        choice = self.select_value("#hardware")
        count = self.int_or_none("#count") or 1
        hardware: list[dict[str, Any]] = []
        if choice == BY_HAND:
            hardware.append({
                "name": self.query_one("#hw-name", Input).value.strip() or "my hardware",
                "kind": self.select_value("#hw-kind"),
                "memory_gb": self.float_or_none("#hw-memory"),
                "bandwidth_gbps": self.float_or_none("#hw-bandwidth"),
                "count": count,
            })
        elif choice:
            hardware.append({"accelerator": choice, "count": count})
        return {
            "hosting.mode": self.select_value("#mode"),
            "hosting.hardware": hardware,
            "hosting.certifications": list(self.query_one("#certifications", SelectionList).selected),
        }
