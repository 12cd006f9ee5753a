"""Export stage: result tables and files for machines (CSV, JSON, REFI-QDA)."""

from mimres_cli.export.tables import write_csv_folder
from mimres_cli.files import table_to_csv, write_files_atomic, write_text_atomic

__all__ = ["table_to_csv", "write_csv_folder", "write_files_atomic", "write_text_atomic"]
