"""Step 5: where it runs, on what hardware, with which certifications."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select, SelectionList

from ...schema.requirements import HardwareRef, InlineHardware
from ..glossary import hardware_label
from ..widgets.field import Field, NumberInput
from ..widgets.ticks import TickList
from .base import StepScreen

BY_HAND = "__by_hand__"
KINDS = (("GPU (graphics card)", "gpu"), ("CPU only (system memory)", "cpu"),
         ("Unified memory (Apple silicon, AMD Ryzen AI Max)", "unified"))


def hardware_options(hardware: dict[str, Any]) -> list[tuple[str, str]]:
    return [(hardware_label(hw.name, hw.memory_gb), hid) for hid, hw in hardware.items()]


class HostingStep(StepScreen):
    INDEX = 4
    HELP = ("Where the model runs. On premises keeps data in your building. An EU sovereign cloud is a provider "
            "headquartered in the EU/EEA and not subject to the US CLOUD Act (a US law that lets US authorities "
            "demand data from US companies wherever it is stored); 'EU cloud region' also allows US providers' "
            "EU data centres.")
    EXPLAIN: ClassVar[dict[str, str]] = {
        "hardware": ("Type the first letters to jump (e.g. 'NVIDIA L4'). Sizes are in GB (10^9 bytes) as the "
                     "vendor states them. Not listed? Choose 'Describe my hardware by hand' at the end."),
        "hw-bandwidth": ("How fast the memory can be read, in GB/s, from the data sheet (e.g. 864 for an NVIDIA "
                         "L40S, 100 for a desktop PC with DDR5); it decides the speed estimate."),
        "certifications": "Only cloud offers holding every ticked certification are considered.",
    }
    WIDGETS: ClassVar[dict[str, str]] = {"hosting.mode": "#mode", "hosting.hardware": "#hardware", "hosting.hardware.0.count": "#count",
               "hosting.hardware.0.name": "#hw-name", "hosting.hardware.0.kind": "#hw-kind",
               "hosting.hardware.0.memory_gb": "#hw-memory", "hosting.hardware.0.bandwidth_gbps": "#hw-bandwidth",
               "hosting.hardware.0.accelerator": "#hardware", "hosting.certifications": "#certifications"}

    def form(self) -> ComposeResult:
        h = self.requirements.hosting
        modes = [(t.label, key) for key, t in self.vocabulary.hosting_modes.items()]
        yield Field("Where should it run?", Select(modes, value=h.mode, allow_blank=False, id="mode", compact=True),
                    "On premises keeps data in your building; an EU sovereign cloud is EU-owned and outside the US "
                    "CLOUD Act; an EU cloud region may belong to a US provider.")
        hardware = self.extra.get("hardware", {})
        first = h.hardware[0] if h.hardware else None
        current = first.accelerator if isinstance(first, HardwareRef) else (BY_HAND if first else "")
        options = [("No hardware yet (advisor suggests what to buy)", ""), *hardware_options(hardware),
                   ("Describe my hardware by hand…", BY_HAND)]
        yield Field("Hardware you have", Select(options, value=current, allow_blank=False, id="hardware", compact=True),
                    "Choose 'No hardware yet' and advisor suggests what to buy within the hardware budget (step 6).")
        yield Field("How many of them", NumberInput(first.count if first else 1, whole=True, id="count", compact=True),
                    "1 or more, e.g. 2 for two cards in one server.")
        inline = first if isinstance(first, InlineHardware) else None
        with Vertical(id="by-hand"):
            yield Field("Name", Input(inline.name if inline else "", placeholder="e.g. office server", id="hw-name",
                                      compact=True, select_on_focus=False))
            yield Field("Kind", Select(KINDS, value=inline.kind if inline else "gpu", allow_blank=False, id="hw-kind",
                                       compact=True))
            yield Field("Memory per device (GB)",
                        NumberInput(inline.memory_gb if inline else None, id="hw-memory", compact=True,
                                    placeholder="e.g. 48"),
                        "The memory of one card, or the system memory for CPU only.")
            yield Field("Memory bandwidth (GB/s)",
                        NumberInput(inline.bandwidth_gbps if inline else None, id="hw-bandwidth", compact=True,
                                    placeholder="e.g. 864"),
                        "From the data sheet; decides the speed estimate.")
        certs = [(t.label, key, key in h.certifications) for key, t in self.vocabulary.certifications.items()]
        descriptions = {key: f"{t.label}: {t.description}" for key, t in self.vocabulary.certifications.items()}
        yield Field("Certifications a cloud provider must hold (Space ticks)",
                    TickList(*certs, id="certifications", compact=True, descriptions=descriptions),
                    "Leave empty if you have no such requirement.", id="certifications-field")

    def on_mount(self) -> None:
        super().on_mount()
        self._toggle()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id in ("hardware", "mode"):
            self._toggle()

    def _toggle(self) -> None:
        self.query_one("#by-hand").display = self.query_one("#hardware", Select).value == BY_HAND
        self.query_one("#certifications-field").display = self.query_one("#mode", Select).value != "on_premises"

    def _check_inline(self, values: dict[str, Any]) -> None:
        """Check the by-hand values that were typed while others are still missing, so every problem
        shows at once (the missing ones get stand-ins that are only used for this check)."""
        from pydantic import ValidationError

        from .base import plain

        stand_in = {"name": "x", "kind": "gpu", "memory_gb": 1.0, "bandwidth_gbps": 1.0, "count": 1}
        present = {k: v for k, v in values.items() if v is not ... and v is not None}
        try:
            InlineHardware.model_validate({**stand_in, **present})
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                name = str(err["loc"][0])
                if name in present:
                    path = f"hosting.hardware.0.{name}"
                    self.problem(path, plain(err, self.subject(self.widget_for(path) or "#hardware")))

    def collect(self) -> dict[str, Any]:
        choice = self.select_value("#hardware")
        count = self.number("#count", "hosting.hardware.0.count")
        if count is None and choice:
            self.problem("hosting.hardware.0.count", "How many of them: type a number, 1 or more.")
        hardware: list[dict[str, Any]] | Any = []
        if choice == BY_HAND:
            memory = self.number("#hw-memory", "hosting.hardware.0.memory_gb")
            bandwidth = self.number("#hw-bandwidth", "hosting.hardware.0.bandwidth_gbps")
            if memory is None:
                self.problem("hosting.hardware.0.memory_gb", "Memory per device: type the memory in GB, e.g. 48.")
            if bandwidth is None:
                self.problem("hosting.hardware.0.bandwidth_gbps",
                             "Memory bandwidth: type the GB/s from the data sheet, e.g. 864.")
            if any(v is ... or v is None for v in (memory, bandwidth, count)):
                hardware = ...
                self._check_inline({"memory_gb": memory, "bandwidth_gbps": bandwidth, "count": count})
            else:
                hardware = [{"name": self.query_one("#hw-name", Input).value.strip() or "my hardware",
                             "kind": self.select_value("#hw-kind"), "memory_gb": memory,
                             "bandwidth_gbps": bandwidth, "count": count}]
        elif choice:
            hardware = ... if count is ... or count is None else [{"accelerator": choice, "count": count}]
        return {
            "hosting.mode": self.select_value("#mode"),
            "hosting.hardware": hardware,
            "hosting.certifications": list(self.query_one("#certifications", SelectionList).selected),
        }
