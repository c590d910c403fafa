"""The career report: :class:`CareerReport` (one method per section, called by the notebook) and the
modules of its sections."""

from __future__ import annotations

from analysis.sections.report.career import CareerReport, preload

__all__ = ["CareerReport", "preload"]
