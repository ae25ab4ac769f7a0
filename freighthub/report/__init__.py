"""Reports: self-contained HTML, PDF and JSON, in English and Chinese.

``write_report(spec_path, out, lang=, formats=, force=)`` builds the report a spec
describes. Each capability adds its section through a builder in
:data:`freighthub.report.build.CAPABILITY_BUILDERS` (see :mod:`freighthub.report.build`).
This layer and the CLI are the only users of rich; templates autoescape.
"""

from freighthub.report.build import (
    CAPABILITY_BUILDERS,
    SECTION_IDS,
    ReportContent,
    build_report,
    localise_report,
)
from freighthub.report.content import Contribution, NotRun
from freighthub.report.inputs import ReportInputs, gather_inputs
from freighthub.report.pdf import MissingToolError
from freighthub.report.spec import ReportSpec, load_report_spec
from freighthub.report.writer import REPORT_FORMATS, ReportFiles, write_report, write_reports

__all__ = [
    "CAPABILITY_BUILDERS",
    "REPORT_FORMATS",
    "SECTION_IDS",
    "Contribution",
    "MissingToolError",
    "NotRun",
    "ReportContent",
    "ReportFiles",
    "ReportInputs",
    "ReportSpec",
    "build_report",
    "gather_inputs",
    "load_report_spec",
    "localise_report",
    "write_report",
    "write_reports",
]
