"""Render stage: tables for people (terminal)."""

from mimres_cli.render.terminal import findings_table, render_findings, share_cell

__all__ = ["findings_table", "render_findings", "share_cell"]
