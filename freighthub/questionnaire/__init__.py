"""Hub data by questionnaire: templates, import into hub files, export of hub files.

See :mod:`freighthub.questionnaire.layout` for the table's layout.
"""

from __future__ import annotations

from freighthub.questionnaire.hubfiles import (
    export_questionnaire,
    hub_toml,
    import_questionnaire,
    write_template,
)
from freighthub.questionnaire.layout import COLUMNS, SHEET, QuestionRow, hub_rows, template_rows
from freighthub.questionnaire.reader import QuestionnaireError, read_hubs
from freighthub.questionnaire.sheets import read_table, write_table

__all__ = [
    "COLUMNS",
    "SHEET",
    "QuestionRow",
    "QuestionnaireError",
    "export_questionnaire",
    "hub_rows",
    "hub_toml",
    "import_questionnaire",
    "read_hubs",
    "read_table",
    "template_rows",
    "write_table",
    "write_template",
]
