"""The report: the thesis on one self-contained page, in English and Traditional Chinese.

:func:`~bondthesis.report.build.build_report` gathers the library's results (it computes nothing
itself), :mod:`~bondthesis.report.render` turns them into HTML (Jinja2, Plotly inlined once, a
strict CSP) and :mod:`~bondthesis.report.pdf` prints that page with headless Chromium.
"""

from __future__ import annotations

from bondthesis.report.build import LANGUAGES, Report, build_report

__all__ = ["LANGUAGES", "Report", "build_report"]
