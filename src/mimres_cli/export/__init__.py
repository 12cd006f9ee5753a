"""Export stage: result tables and files for machines (CSV, JSON, REFI-QDA)."""

from mimres_cli.export.tables import (
    table_to_csv,
    write_files_atomic,
    write_tables,
    write_text_atomic,
)

__all__ = ["table_to_csv", "write_files_atomic", "write_tables", "write_text_atomic"]
